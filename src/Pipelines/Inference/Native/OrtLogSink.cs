using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// Receives ORT's own log lines (on ORT's threads) and passes them to the agent's logger, so they reach the journal
/// with the rest instead of raw stderr. ORT keeps one environment per process and keeps the logger of the call that
/// created it, possibly beyond the runtime that asked; so the target is a process-wide field rather than a GCHandle
/// to one runtime, which could be freed while ORT still calls back with it.
/// </summary>
internal static unsafe class OrtLogSink
{
    private static volatile ILogger? s_logger;

    public static delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void> Callback => &Log;

    public static void Attach(ILogger logger) => s_logger = logger;

    // void OrtLoggingFunction(void* param, OrtLoggingLevel severity, const char* category, const char* logid,
    //                         const char* code_location, const char* message)
    [UnmanagedCallersOnly]
    private static void Log(nint parameter, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        var logger = s_logger;
        if (logger is null)
        {
            return;
        }

        try
        {
            var text = OrtApi.Utf8(message).TrimEnd();
            var level = severity switch
            {
                >= OrtLoggingLevel.Fatal => LogLevel.Critical,
                OrtLoggingLevel.Error => LogLevel.Error,
                OrtLoggingLevel.Warning => LogLevel.Warning,
                _ => LogLevel.Debug,
            };
            // Writing the optimised-model cache always triggers this warning; the cache is per device by design
            // (its key holds the ORT version and providers), so it is not news worth a warning at every cold load.
            if (text.StartsWith("Serializing optimized model with Graph Optimization level greater than", StringComparison.Ordinal))
            {
                level = LogLevel.Debug;
            }

            InferenceLog.OrtMessage(logger, level, OrtApi.Utf8(category), text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An exception must not unwind into ORT's native frames, and a failing log sink is not worth a crash.
        }
    }
}
