namespace EdgeAgent.Pipelines.Configuration;

/// <summary>Marks an option whose value must never be printed or logged (passwords, keys).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute
{
}
