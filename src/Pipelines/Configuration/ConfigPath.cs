using System.Text;

namespace EdgeAgent.Pipelines.Configuration;

/// <summary>
/// Converts between Microsoft.Extensions.Configuration keys (<c>pipelines:0:name</c>) and the JSON paths
/// users read and write (<c>pipelines[0].name</c>).
/// </summary>
public static class ConfigPath
{
    public static string ToConfigKey(string jsonPath)
    {
        var builder = new StringBuilder(jsonPath.Length);
        foreach (var c in jsonPath)
        {
            switch (c)
            {
                case '.':
                case '[':
                    builder.Append(':');
                    break;
                case ']':
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString().Replace("::", ":", StringComparison.Ordinal);
    }

    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
