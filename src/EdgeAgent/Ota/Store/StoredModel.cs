namespace EdgeAgent.Ota.Store;

/// <summary>One installed version: <c>models/&lt;name&gt;/&lt;version&gt;/</c> in the store.</summary>
public sealed record StoredModel(string Name, string Version, string Directory)
{
    public string ModelPath => Path.Combine(Directory, BundleFiles.Model);

    public string ManifestPath => Path.Combine(Directory, BundleFiles.Manifest);
}

/// <summary>What a pipeline runs, and what it ran before (the rollback target).</summary>
public sealed record ActiveModel(string Pipeline, string Name, string Version, string? PreviousName, string? PreviousVersion, DateTimeOffset Updated);
