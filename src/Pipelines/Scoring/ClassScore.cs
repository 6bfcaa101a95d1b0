namespace EdgeAgent.Pipelines.Scoring;

/// <summary>One class of a classifier's output and its probability.</summary>
public readonly record struct ClassScore(int ClassId, float Probability);
