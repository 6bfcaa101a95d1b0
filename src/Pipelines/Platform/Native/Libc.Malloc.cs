namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// glibc's malloc controls. Other C libraries (musl) do not have them: the first call that finds no entry point
/// turns them off for the process, so callers need not know which libc they run on.
/// </summary>
internal static partial class Libc
{
    private static volatile bool _unavailable;

    /// <summary>malloc_trim(0); false where the C library has none.</summary>
    public static bool TryMallocTrim()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    /// <summary>mallopt(param, value); false where the C library has none or refuses the value.</summary>
    public static bool TryMallopt(int param, int value)
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            return mallopt(param, value) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    /// <summary>mallinfo2(); null where the C library has none (musl, glibc before 2.33).</summary>
    public static mallinfo2_t? TryMallinfo2()
    {
        if (_unavailable)
        {
            return null;
        }

        try
        {
            return mallinfo2();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }
}
