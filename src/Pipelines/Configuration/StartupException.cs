namespace EdgeAgent.Pipelines.Configuration;

/// <summary>
/// A start-up failure the user can fix (an invalid configuration, an unusable model, a missing library). Its type
/// says which; only the host maps each type to a process exit code (the CLI prints the message without a stack trace).
/// </summary>
public abstract class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The configuration is invalid, or names something this build or machine cannot do.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : StartupException(message, inner);

/// <summary>An input file (replay data) is malformed in a way retrying cannot fix.</summary>
public sealed class InvalidInputFileException(string message, Exception? inner = null) : StartupException(message, inner);

/// <summary>
/// A pipeline's model cannot be used: missing, not a model, damaged, its manifest invalid, or not fitting the
/// pipeline. Only that pipeline is down (reported failed and rebuilt with backoff); the agent goes on.
/// </summary>
public sealed class ModelUnusableException(string message, Exception? inner = null) : StartupException(message, inner);

/// <summary>A native library the agent needs (ONNX Runtime) is missing, damaged or of an unusable version.</summary>
public sealed class RuntimeUnavailableException(string message, Exception? inner = null) : StartupException(message, inner);
