namespace EdgeAgent.Configuration;

/// <summary>Checks that a directory exists or can be made, and can be written, before anything depends on it.</summary>
public static class DirectoryProbe
{
    public static bool CanWrite(string directory) => TryEnsureWritable(directory, out _);

    /// <summary>Creates the directory if needed and writes and deletes a probe file; the error says why it failed.</summary>
    public static bool TryEnsureWritable(string directory, out string error)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".edgeagent-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return false;
        }
    }
}
