namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>Finds the repository (for config/, models/, packaging/) and the shared data beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/data relative to the repository, as DEVELOPERS.md places it.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("EDGEAGENT_REPO");
        if (!string.IsNullOrEmpty(fromEnvironment) && System.IO.File.Exists(Path.Combine(fromEnvironment, "EdgeAgent.sln")))
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "EdgeAgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (EdgeAgent.sln) above " + AppContext.BaseDirectory);
    }
}
