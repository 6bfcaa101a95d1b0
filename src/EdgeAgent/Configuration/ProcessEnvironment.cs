using System.Collections;

namespace EdgeAgent.Configuration;

/// <summary>The process environment as a dictionary, so configuration code can be given a test environment instead.</summary>
public static class ProcessEnvironment
{
    public static IReadOnlyDictionary<string, string> Snapshot()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }
}
