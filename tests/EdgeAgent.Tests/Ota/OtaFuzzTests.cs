using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// Fixed-seed fuzzing of what an outsider controls (issue 17): the desired-state parser, the bundle (tar) reader and
/// model.json. Each input must parse or be refused with the typed rejection (OtaRejectedException; for model.json
/// alone, InvalidDataException, which the verifier and the deployments turn into invalid_manifest); any other
/// exception is a finding, reported with the seed and iteration that reproduce it. Each test stays within a few
/// seconds (a fixed number of cases, cut short by a time budget on a slow CI machine).
/// </summary>
public sealed class OtaFuzzTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);
    private static readonly HashSet<string> Pipelines = ["demo", "line2"];
    private readonly TempDirectory _dir = new("edgeagent-ota-fuzz");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(17)]
    [InlineData(4242)]
    public void The_desired_state_parser_only_ever_refuses_with_a_typed_rejection(int seed)
    {
        var seeds = new[]
        {
            """{"pipelines":{"demo":{"name":"demo","version":"2.0.0","url":"https://m.example/demo.tar","sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":1234,"signature":"AAAA"}}}""",
            """{"pipelines":{"demo":{"name":"demo","version":"5.0.0","url":"file:///nonexistent/x.tar","sha256":"0000000000000000000000000000000000000000000000000000000000000000","size":1000},"line2":{"name":"x","version":"1","url":"http://h/x","sha256":"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","size":1}}}""",
        };
        Fuzz(seed, 20_000, seeds.Select(Encoding.UTF8.GetBytes).ToArray(), JsonTokens, input =>
        {
            try
            {
                DesiredStateParser.Parse(input, "fuzz", Pipelines);
            }
            catch (OtaRejectedException)
            {
            }
        });
    }

    [Theory]
    [InlineData(17)]
    [InlineData(4242)]
    public void Model_json_parsing_only_ever_refuses_with_InvalidDataException(int seed)
    {
        var seeds = new[] { File.ReadAllBytes(RepositoryPaths.File("models", "demo", "model.json")), File.ReadAllBytes(RepositoryPaths.File("models", "camera-demo", "model.json")) };
        Fuzz(seed, 20_000, seeds, JsonTokens, input =>
        {
            try
            {
                SensorModelManifest.From(ModelManifest.Parse(input));
            }
            catch (InvalidDataException)
            {
            }
        });
    }

    [Theory]
    [InlineData(17, TarEntryFormat.Pax)]
    [InlineData(4242, TarEntryFormat.Ustar)]
    [InlineData(99, TarEntryFormat.Gnu)]
    [InlineData(7, TarEntryFormat.V7)]
    public void The_bundle_reader_only_ever_refuses_with_a_typed_rejection(int seed, TarEntryFormat format)
    {
        var folder = _dir.Combine("seed-" + format);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), new byte[700]);
        File.Copy(RepositoryPaths.File("models", "demo", "model.json"), Path.Combine(folder, "model.json"));
        File.WriteAllText(Path.Combine(folder, "model.sig"), "AAAA");
        var tar = HostileInput.Tar(_dir, folder, format);
        var input = _dir.Combine("input.tar");
        var case_ = 0;
        Fuzz(seed, 1_500, [File.ReadAllBytes(tar)], TarTokens, bytes =>
        {
            File.WriteAllBytes(input, bytes);
            var staging = _dir.Combine($"staging-{case_++}");
            try
            {
                BundleReader.Extract(input, staging, 64 * 1024);
            }
            catch (OtaRejectedException)
            {
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
        });
    }

    [Fact]
    public void The_reproductions_of_issue_17_are_typed_rejections()
    {
        var act = () => BundleReader.Extract(HostileInput.Base256SizeTar(_dir), _dir.Combine("staging-base256"), 1 << 20);
        act.Should().Throw<OtaRejectedException>().Which.Reason.Should().Be(RejectionReason.UnsafeBundle);

        var manifest = File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json"));
        foreach (var broken in new[]
                 {
                     manifest.Replace("\"features\": [", "\"features\": [0, 1, ", StringComparison.Ordinal),
                     System.Text.RegularExpressions.Regex.Replace(manifest, "\"threshold\": [0-9.e-]+", "\"threshold\": \"0.1\""),
                     System.Text.RegularExpressions.Regex.Replace(manifest, "\"threshold\": [0-9.e-]+", "\"threshold\": 1e-300"),
                 })
        {
            broken.Should().NotBe(manifest);
            var parse = () => SensorModelManifest.From(ModelManifest.Parse(Encoding.UTF8.GetBytes(broken)));
            parse.Should().Throw<InvalidDataException>();
        }
    }

    private static readonly byte[][] JsonTokens =
        [.. new[] { "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309", "1e-300", "0.1", "\"0.1\"", "[0,1]", "{}", "\\u0000", "\"pipelines\"", "\"features\"", "\"threshold\"", "\"size\"", "9223372036854775808", "\"file:///root/\"", "\"standardization\"", "\"mean\"" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] TarTokens =
        [[0x80, 0x7f, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "777777777777"u8.ToArray(), "-1"u8.ToArray(), "../../etc/passwd"u8.ToArray(), "ustar\0"u8.ToArray(), "ustar  \0"u8.ToArray(), [(byte)'L'], [(byte)'x'], [(byte)'g'], [(byte)'2'], [(byte)'5'], [(byte)'6'], "30 path=model.onnx\n"u8.ToArray(), "99999999999 size=1\n"u8.ToArray()];

    /// <summary>Runs <paramref name="body"/> on mutants of the seeds; any exception it lets through fails with what reproduces it.</summary>
    private static void Fuzz(int seed, int cases, byte[][] seeds, byte[][] tokens, Action<byte[]> body)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < cases && clock.Elapsed < Budget; i++)
        {
            var input = Mutate(random, seeds[random.Next(seeds.Length)], tokens);
            try
            {
                body(input);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, case {i}: {ex.GetType().Name}: {ex.Message}\ninput (base64): {Convert.ToBase64String(input)}\n{ex}");
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] seed, byte[][] tokens)
    {
        var data = new List<byte>(seed);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations && data.Count > 0; m++)
        {
            // Tar headers are 512-byte blocks: mutations near a header's fields are the interesting ones.
            var at = random.Next(4) == 0 ? (random.Next(Math.Max(1, data.Count / 512)) * 512) + random.Next(Math.Min(512, data.Count)) : random.Next(data.Count);
            at = Math.Min(at, data.Count - 1);
            switch (random.Next(6))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 3:
                    data.InsertRange(at, tokens[random.Next(tokens.Length)]);
                    break;
                case 4:
                    var token = tokens[random.Next(tokens.Length)];
                    for (var i = 0; i < token.Length && at + i < data.Count; i++)
                    {
                        data[at + i] = token[i];
                    }

                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return [.. data];
    }
}
