namespace EdgeAgent.Ota;

/// <summary>The three files of a model bundle; nothing else may be in one.</summary>
public static class BundleFiles
{
    public const string Model = "model.onnx";
    public const string Manifest = "model.json";
    public const string Signature = "model.sig";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Model, Manifest, Signature };
}
