using System.CommandLine;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Cli;

/// <summary>
/// The <c>models</c> verbs of the update path: tools for whoever publishes models (keygen, sign, verify) and for
/// the device's store (install, rollback, status).
/// </summary>
public static class ModelStoreCommands
{
    public static void AddTo(Command models)
    {
        models.Subcommands.Add(Keygen());
        models.Subcommands.Add(Sign());
        models.Subcommands.Add(Verify());
        models.Subcommands.Add(Install());
        models.Subcommands.Add(Rollback());
        models.Subcommands.Add(Status());
    }

    private static Command Keygen()
    {
        var outDir = new Option<string>("--out") { Description = "Directory for signing.key (keep it secret) and signing.pub (goes into ota.trustedKeys).", Required = true };
        var command = new Command("keygen", "Create an ECDSA P-256 key pair for signing model bundles.") { outDir };
        command.SetAction(result =>
        {
            var directory = result.GetValue(outDir)!;
            var privatePath = Path.Combine(directory, "signing.key");
            if (File.Exists(privatePath))
            {
                return Fail(ExitCodes.CantCreate, $"{privatePath} exists; refusing to overwrite a signing key");
            }

            Directory.CreateDirectory(directory);
            var (privateKey, publicKey) = BundleSignature.GenerateKeyPair();
            File.WriteAllText(privatePath, privateKey);
            File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(Path.Combine(directory, "signing.pub"), publicKey);
            Console.Out.WriteLine($"wrote {privatePath} (secret) and {Path.Combine(directory, "signing.pub")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign()
    {
        var key = new Option<string>("--key") { Description = "The private key from 'models keygen'.", Required = true };
        var output = new Option<string?>("--out") { Description = "Bundle to write. Default: <name>-<version>.tar beside MODEL_DIR." };
        var directory = new Argument<string>("MODEL_DIR") { Description = "Folder with model.onnx and model.json (name, version)." };
        var command = new Command("sign", "Record model.onnx's SHA-256 in model.json, sign it (model.sig) and write the .tar bundle.") { key, output, directory };
        command.SetAction(result =>
        {
            var folder = result.GetValue(directory)!;
            var model = Path.Combine(folder, BundleFiles.Model);
            var manifestPath = Path.Combine(folder, BundleFiles.Manifest);
            if (!File.Exists(model) || !File.Exists(manifestPath))
            {
                return Fail(ExitCodes.DataError, $"{folder} must contain {BundleFiles.Model} and {BundleFiles.Manifest}");
            }

            try
            {
                var json = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject
                           ?? throw new InvalidDataException("model.json must be a JSON object");
                json["sha256"] = BundleSignature.Sha256Hex(model);
                var manifestBytes = BundleSignature.Utf8(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                var manifest = ModelManifest.Parse(manifestBytes);
                File.WriteAllBytes(manifestPath, manifestBytes);
                File.WriteAllText(Path.Combine(folder, BundleFiles.Signature), BundleSignature.Sign(File.ReadAllText(result.GetValue(key)!), manifestBytes));
                var bundle = result.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, $"{manifest.Name}-{manifest.Version}.tar");
                WriteTar(folder, bundle);
                Console.Out.WriteLine($"signed {manifest.Name} {manifest.Version}: {bundle}");
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException or CryptographicException or IOException or ArgumentException)
            {
                return Fail(ExitCodes.DataError, ex.Message);
            }
        });
        return command;
    }

    private static Command Verify()
    {
        var key = new Option<string[]>("--key") { Description = "Trusted public key(s).", Required = true, Arity = ArgumentArity.OneOrMore };
        var bundle = new Argument<string>("BUNDLE") { Description = "A .tar bundle or a folder." };
        var command = new Command("verify", "Check a bundle's checksum and signature against trusted keys.") { key, bundle };
        command.SetAction(result =>
        {
            using var temp = new TempFolder();
            try
            {
                var keys = result.GetValue(key)!.Select(File.ReadAllText).ToList();
                foreach (var (pem, index) in keys.Select((k, i) => (k, i)))
                {
                    if (BundleSignature.CheckPublicKey(pem) is { } problem)
                    {
                        return Fail(ExitCodes.Usage, $"--key {result.GetValue(key)![index]} {problem}");
                    }
                }

                BundleReader.Extract(result.GetValue(bundle)!, temp.Path, long.MaxValue);
                var manifest = new BundleVerifier(keys, allowUnsigned: false).Verify(temp.Path);
                Console.Out.WriteLine($"OK: {manifest.Name} {manifest.Version}, sha256 {manifest.Sha256}, signed by a trusted key");
                return ExitCodes.Ok;
            }
            catch (OtaRejectedException ex)
            {
                return Fail(ExitCodes.DataError, $"rejected ({ex.Reason}): {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(ExitCodes.DataError, ex.Message);
            }
        });
        return command;
    }

    private static Command Install()
    {
        var arguments = new ConfigArguments();
        var pipeline = new Option<string?>("--pipeline") { Description = "Make it the active model of this pipeline." };
        var bundle = new Argument<string>("BUNDLE") { Description = "A .tar bundle or a folder." };
        var command = new Command("install", "Verify a bundle and add it to the device's model store.") { pipeline, bundle };
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            if (arguments.LoadOrReport(result, ProcessEnvironment.Snapshot()) is not { } loaded)
            {
                return ExitCodes.Config;
            }

            var name = result.GetValue(pipeline);
            if (name is not null && loaded.Options.Pipelines.All(p => p.Name != name))
            {
                return Fail(ExitCodes.Usage, $"no pipeline named '{name}' in the configuration");
            }

            try
            {
                var store = new ModelStore(loaded.Options.StateDirectory);
                var stored = new BundleInstaller(store, loaded.Options.Ota).Install(result.GetValue(bundle)!);
                Console.Out.WriteLine($"installed {stored.Name} {stored.Version} in {stored.Directory}");
                if (name is not null)
                {
                    var active = store.Activate(name, stored);
                    Console.Out.WriteLine($"pipeline {name} now runs {active.Name} {active.Version} (previous: {active.PreviousName} {active.PreviousVersion})");
                }

                return ExitCodes.Ok;
            }
            catch (OtaRejectedException ex)
            {
                return Fail(ExitCodes.DataError, $"rejected ({ex.Reason}): {ex.Message}");
            }
        });
        return command;
    }

    private static Command Rollback()
    {
        var arguments = new ConfigArguments();
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline to return to its previous model.", Required = true };
        var command = new Command("rollback", "Make a pipeline's previous model active again.") { pipeline };
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            if (arguments.LoadOrReport(result, ProcessEnvironment.Snapshot()) is not { } loaded)
            {
                return ExitCodes.Config;
            }

            try
            {
                var active = new ModelStore(loaded.Options.StateDirectory).Rollback(result.GetValue(pipeline)!);
                Console.Out.WriteLine($"pipeline {active.Pipeline} now runs {active.Name} {active.Version}");
                return ExitCodes.Ok;
            }
            catch (OtaRejectedException ex)
            {
                return Fail(ExitCodes.DataError, ex.Message);
            }
        });
        return command;
    }

    private static Command Status()
    {
        var arguments = new ConfigArguments();
        var json = new Option<bool>("--json") { Description = "One JSON object." };
        var command = new Command("status", "Show which model version each pipeline runs and what is in the store.") { json };
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            if (arguments.LoadOrReport(result, ProcessEnvironment.Snapshot()) is not { } loaded)
            {
                return ExitCodes.Config;
            }

            // Read as the running agent left it: a status must not clean up an update the agent is installing.
            var store = ModelStore.OpenReadOnly(loaded.Options.StateDirectory);
            var root = ModelStore.RootOf(loaded.Options.StateDirectory);
            var active = store?.ActiveModels() ?? new Dictionary<string, ActiveModel>();
            if (store?.Recovered is { } unreadable)
            {
                Console.Error.WriteLine($"edgeagent: warning: {unreadable}");
            }
            if (result.GetValue(json))
            {
                var pipelines = new JsonObject();
                foreach (var (name, model) in active)
                {
                    pipelines[name] = new JsonObject
                    {
                        ["name"] = model.Name,
                        ["version"] = model.Version,
                        ["previous"] = model.PreviousVersion is null ? null : new JsonObject { ["name"] = model.PreviousName, ["version"] = model.PreviousVersion },
                        ["updated"] = model.Updated.ToString("O"),
                    };
                }

                Console.Out.WriteLine(new JsonObject { ["store"] = root, ["pipelines"] = pipelines }.ToJsonString());
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"store: {root}");
            foreach (var (name, model) in active)
            {
                Console.Out.WriteLine($"{name}: {model.Name} {model.Version} (previous {model.PreviousName ?? "-"} {model.PreviousVersion ?? "-"}, since {model.Updated:u})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteTar(string folder, string bundle)
    {
        var temporary = bundle + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var file in new[] { BundleFiles.Manifest, BundleFiles.Signature, BundleFiles.Model })
            {
                writer.WriteEntry(Path.Combine(folder, file), file);
            }
        }

        // Whoever drops bundles into an inbox must never expose a half-written one.
        File.Move(temporary, bundle, overwrite: true);
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgeagent: {message}");
        return code;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("edgeagent-verify-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
