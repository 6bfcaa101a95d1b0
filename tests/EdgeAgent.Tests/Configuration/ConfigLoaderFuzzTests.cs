using System.Text;
using System.Text.Json.Nodes;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Tests.Support;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

/// <summary>
/// Issue 17: the configuration loader against mutated configurations, with fixed seeds (a finding reproduces).
/// Every outcome must be a loaded configuration or a <see cref="ConfigException"/> (exit 78 with a message), never
/// another exception (a stack trace and exit 1). Structural mutations (a value replaced by null, [], {}, a huge
/// number, a duplicate key) and byte mutations of the bundled configuration; bounded by an iteration count.
/// </summary>
public sealed class ConfigLoaderFuzzTests : IDisposable
{
    private static readonly string[] Replacements = ["null", "[]", "{}", "\"\"", "\"x\"", "-1", "0", "1e309", "-9223372036854775809", "true", "[null]", "[{}]", "{\"a\":1}", "\"\\u0000\""];

    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Structural_mutations_load_or_give_a_config_error(int seed)
    {
        var random = new Random(seed);
        var original = File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json"));
        for (var i = 0; i < 400; i++)
        {
            var root = JsonNode.Parse(original, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var nodes = Descendants(root).ToList();
                var target = nodes[random.Next(nodes.Count)];
                if (target.Parent is JsonObject parent)
                {
                    parent[target.GetPropertyName()] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                }
                else if (target.Parent is JsonArray array)
                {
                    array[target.GetElementIndex()] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                }
            }

            var text = root.ToJsonString();
            if (random.Next(4) == 0)
            {
                // A duplicate key, which JsonNode cannot hold: written into the text.
                text = "{\"deviceId\":\"a\"," + text[1..].Replace("\"mqtt\"", random.Next(2) == 0 ? "\"mqtt\":{},\"mqtt\"" : "\"mqtt\"", StringComparison.Ordinal);
            }

            LoadsOrRefuses(text);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Byte_mutations_load_or_give_a_config_error(int seed)
    {
        var random = new Random(seed);
        var original = Encoding.UTF8.GetBytes(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json")));
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var m = random.Next(1, 8); m > 0; m--)
            {
                bytes[random.Next(bytes.Length)] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => "{}[],:\"0-e."u8[random.Next(11)],
                    _ => (byte)(bytes[random.Next(bytes.Length)] ^ (1 << random.Next(8))),
                };
            }

            LoadsOrRefuses(Encoding.UTF8.GetString(bytes));
        }
    }

    private void LoadsOrRefuses(string text)
    {
        var file = _dir.Write("fuzz.json", text);
        try
        {
            ConfigLoader.Load(new ConfigSources([file], []), new Dictionary<string, string> { ["STATE_DIRECTORY"] = _dir.Combine("state"), ["HOME"] = _dir.Path });
        }
        catch (ConfigException)
        {
            // The expected refusal: a message per problem, exit 78 in the CLI.
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped the loader (would be a stack trace and exit 1) for:\n{text}\n{ex}");
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    if (child is not null)
                    {
                        yield return child;
                        foreach (var d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (child is not null)
                    {
                        yield return child;
                        foreach (var d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }

                break;
        }
    }

    public void Dispose() => _dir.Dispose();
}
