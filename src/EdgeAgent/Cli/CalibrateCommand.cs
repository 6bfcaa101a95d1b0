using System.CommandLine;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent calibrate</c> and <c>edgeagent calibrate-camera</c>: learn a pipeline's model from normal data, set the
/// threshold from the normal scores, and write the model with its model.json; how a user without ML tooling gets a
/// model. One verb for both kinds: the kind's own part (<see cref="SensorCalibration"/>, <see cref="CameraCalibration"/>)
/// reads the data and learns the model, the rest is here once.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create() => Create(new SensorCalibration());

    public static Command CreateCamera() => Create(new CameraCalibration());

    private static Command Create(ICalibration kind)
    {
        var arguments = new PipelineArguments(kind.Kind);
        var input = new Option<string>("--input", "-i") { Description = kind.Words.Input, Required = true };
        var output = new Option<string>("--out", "-o") { Description = kind.Words.Output, Required = true };
        var name = new Option<string?>("--name") { Description = "Model name in model.json. Default: the pipeline's name." };
        var version = new Option<string>("--version") { Description = "Model version in model.json.", DefaultValueFactory = _ => "1.0.0" };
        var margin = new Option<double>("--margin") { Description = "Threshold = the highest normal score times this.", DefaultValueFactory = _ => kind.DefaultMargin };
        var command = new Command(kind.Words.Verb, kind.Words.Description) { input, output, name, version, margin };
        foreach (var option in kind.Options)
        {
            command.Options.Add(option);
        }

        arguments.AddTo(command);
        command.SetAction((result, cancellationToken) => arguments.RunAsync(result, async (loaded, pipeline) =>
        {
            var target = new CalibrationTarget(loaded, pipeline, result.GetValue(input)!, result.GetValue(output)!,
                result.GetValue(name) ?? pipeline.Name, result.GetValue(version)!, result.GetValue(margin));
            var work = kind.Prepare(result, target);
            if (!PipelineArguments.InputExists(target.Input))
            {
                return ExitCodes.DataError;
            }

            Console.Out.WriteLine(await work(cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
