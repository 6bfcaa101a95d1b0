namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>The one place an OrtStatus* becomes an exception.</summary>
internal static unsafe class OrtStatus
{
    public static void ThrowIfFailed(nint status)
    {
        if (status != 0)
        {
            Throw(status);
        }
    }

    /// <summary>Reads code and message, releases the status, returns them (for callers that decide what to throw).</summary>
    public static (OrtErrorCode Code, string Message) Consume(nint status)
    {
        var api = OrtApi.Instance;
        try
        {
            return ((OrtErrorCode)api.GetErrorCode(status), OrtApi.Utf8(api.GetErrorMessage(status)));
        }
        finally
        {
            api.ReleaseStatus(status);
        }
    }

    private static void Throw(nint status)
    {
        var (code, message) = Consume(status);
        throw new OrtException(code, message);
    }
}
