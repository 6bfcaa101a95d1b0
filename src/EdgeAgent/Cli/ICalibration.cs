using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;

namespace EdgeAgent.Cli;

/// <summary>
/// What differs between calibrating a sensor and a camera pipeline: the verb's own options, the normal data read, the
/// model learned and the files written. Choosing the pipeline, the options both share, the input check, the errors and
/// their exit codes, and the report are <see cref="CalibrateCommand"/>'s.
/// </summary>
internal interface ICalibration
{
    PipelineKind Kind { get; }

    /// <summary>The verb, its description, and what --input and --out hold.</summary>
    (string Verb, string Description, string Input, string Output) Words { get; }

    /// <summary>Threshold = the highest normal score times this, unless --margin says otherwise (scores of each kind have their own scale).</summary>
    double DefaultMargin { get; }

    /// <summary>The kind's own options, in the order --help lists them.</summary>
    IEnumerable<Option> Options { get; }

    /// <summary>
    /// Checks the kind's options against <paramref name="target"/>'s pipeline before the input is looked at (a typed
    /// error: bad usage, a configuration the model cannot serve) and returns the work: it learns the model, writes its
    /// files and returns the report line.
    /// </summary>
    Func<CancellationToken, Task<string>> Prepare(ParseResult result, CalibrationTarget target);
}

/// <summary>What a calibration is asked for by the options both kinds share.</summary>
internal sealed record CalibrationTarget(LoadedConfig Loaded, PipelineOptions Pipeline, string Input, string Directory, string Name, string Version, double Margin);
