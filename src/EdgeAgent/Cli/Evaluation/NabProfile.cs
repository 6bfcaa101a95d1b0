namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// One NAB application profile: the weights of its cost matrix (NAB v1.1 <c>config/profiles.json</c>, copied in
/// <c>../shared/tools/nab/profiles.json</c>). tnWeight is not listed: NAB's scoring never uses it.
/// </summary>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalseNegativeWeight, double FalsePositiveWeight)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 1.0, 0.11);

    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 1.0, 0.22);

    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 2.0, 0.11);

    /// <summary>The three profiles in the order NAB (and score.py) reports them.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];
}
