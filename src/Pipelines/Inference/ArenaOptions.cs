using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Inference;

public enum ArenaExtendStrategy
{
    NextPowerOfTwo,
    SameAsRequested,
}

public sealed class ArenaOptions : IValidatedOptions
{
    /// <summary>
    /// max_mem 0 means "no limit" to ORT, so the smallest budget is 1 MiB. The other way the cap switches off, a
    /// model whose weights alone exceed the budget, is refused at load (see ModelSession.CheckArenaBudget).
    /// </summary>
    public const int MinimumMegabytes = 1;

    [Description("Use one shared, capped arena for all models. false: every session has its own uncapped arena (ORT's default).")]
    public bool Enabled { get; set; } = true;

    [Description("Most memory (MiB) all models together may take from the arena; a model that needs more fails to load with a clear message.")]
    [Range(MinimumMegabytes, 1_048_576)]
    public int MaxMegabytes { get; set; } = 256;

    [Description("How the arena grows: sameAsRequested (tight, default on small devices) or nextPowerOfTwo (fewer, larger extensions).")]
    public ArenaExtendStrategy ExtendStrategy { get; set; } = ArenaExtendStrategy.SameAsRequested;

    [Description("First chunk the arena reserves, in KiB; 0 lets ONNX Runtime choose.")]
    [Range(0, 1_048_576)]
    public int InitialChunkKilobytes { get; set; }

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (InitialChunkKilobytes > (long)MaxMegabytes * 1024)
        {
            errors.Add(new ConfigError($"{path}.initialChunkKilobytes", $"{InitialChunkKilobytes} KiB is more than the arena's budget maxMegabytes={MaxMegabytes}"));
        }
    }
}
