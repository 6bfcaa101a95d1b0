using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Outbox;
using Microsoft.Data.Sqlite;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent outbox stats</c>: depth, bytes, oldest age and dropped count, read without disturbing a running agent.</summary>
public static class OutboxCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var stats = new Command("stats", "Print how many messages wait in the outbox, their size, the oldest one's age and how many were dropped.");
        arguments.AddTo(stats);
        stats.Options.Add(json);
        stats.SetAction(result =>
        {
            var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            var path = OutboxServiceCollectionExtensions.PathIn(loaded.Options);
            try
            {
                using var connection = OutboxStore.OpenReadOnly(path);
                var (depth, bytes, oldest, lastSeq, dropped) = connection is null ? default : OutboxStore.ReadTotals(connection);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var age = oldest == 0 ? 0 : Math.Max(0, (now - oldest) / 1000.0);
                if (result.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(
                        new OutboxStats(path, connection is not null, depth, bytes, Math.Round(age, 1), dropped, lastSeq),
                        OutboxJsonContext.Default.OutboxStats));
                }
                else
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"outbox {path}{(connection is null ? " (not created yet)" : string.Empty)}\n  depth       {depth} messages\n  bytes       {bytes}\n  oldest age  {age:F1} s\n  dropped     {dropped}\n  last seq    {lastSeq}"));
                }

                return ExitCodes.Ok;
            }
            catch (SqliteException ex) when (OutboxStore.IsOutOfSpace(ex) || (ex.SqliteErrorCode & 0xFF) is 5 or 6)
            {
                // SQLITE_BUSY/LOCKED: an agent started on a full disk holds the file alone (exclusive locking) until it restarts.
                Console.Error.WriteLine($"edgeagent: the outbox {path} cannot be read now: {ex.Message}. On a full disk the running agent holds it alone; ask it with 'edgeagent status' (outbox, persistence)");
                return ExitCodes.Unavailable;
            }
            catch (SqliteException ex)
            {
                Console.Error.WriteLine($"edgeagent: the outbox {path} cannot be read: {ex.Message}. The agent moves a damaged file aside when it starts");
                return ExitCodes.DataError;
            }
        });

        var command = new Command("outbox", "The durable outbox of results waiting for the broker.");
        command.Subcommands.Add(stats);
        return command;
    }
}
