namespace EdgeAgent.Pipelines.Models;

/// <summary>A model slot's counters at one moment: failed runs, non-finite scores, successful runs and their total time.</summary>
public readonly record struct ModelCounters(long Errors, long NonFinite, long Scored, long RunTicks);
