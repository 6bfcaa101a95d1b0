using System.Globalization;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// The per-frame cost of a shadow candidate in the camera loop: blocks of frames alternate between the pipeline alone,
/// the pipeline with a candidate attached (the same 224x224 network, loaded again, its own scorer and threshold), and
/// the model's Run alone, timed in the thread's CPU time so the shared machine's other work is not counted.
/// Run: <c>... camera-pipeline AGENT ROUNDS FRAMES --shadow</c>.
/// </summary>
public static partial class CameraPipelineProbe
{
    public static int Shadow(int rounds, int framesPerBlock)
    {
        using var rig = new Rig("edgeagent-camera-shadow");
        using var candidate = new CameraModel(rig.Runtime.LoadModel(rig.ModelPath), string.Empty, string.Empty, 3);
        long candidateFrames = 0;
        string[] names = ["pipeline alone", "pipeline with shadow", "model Run alone"];
        var times = names.Select(_ => new List<double>(rounds)).ToArray();
        var allocated = new long[names.Length];
        long frame = 0;
        double Block(int variant, ModelShadow<CameraModel>? shadow)
        {
            var start = ThreadCpu.Nanoseconds();
            for (var i = 0; i < framesPerBlock; i++)
            {
                if (variant == 2)
                {
                    rig.Pipeline.Model.Run();
                }
                else
                {
                    frame++;
                    rig.Pipeline.OnFrame(rig.Pixels, frame, DateTime.UnixEpoch.Ticks + frame);
                }
            }

            var microseconds = (ThreadCpu.Nanoseconds() - start) / 1000.0 / framesPerBlock;
            return microseconds;
        }

        for (var round = -3; round < rounds; round++)
        {
            for (var variant = 0; variant < names.Length; variant++)
            {
                // A detached candidate is never run again, so each block attaches a fresh one (outside the counts).
                var shadow = variant == 1 ? new CameraModelKind(rig.Pipeline).CreateShadow(candidate, 1e9, null, new PipelineOptions()) : null;
                if (shadow is not null && !rig.Pipeline.Slot.AttachShadow(shadow))
                {
                    throw new InvalidOperationException("the shadow slot is taken");
                }

                var before = GC.GetAllocatedBytesForCurrentThread();
                var microseconds = Block(variant, shadow);
                var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (shadow is not null)
                {
                    rig.Pipeline.Slot.DetachShadow(shadow);
                    candidateFrames += shadow.Statistics.Windows;
                }

                if (round >= 0)
                {
                    // Rounds below 0 warm up (JIT tiers, ORT's first runs).
                    times[variant].Add(microseconds);
                    allocated[variant] += bytes;
                }
            }
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{rounds} rounds of {framesPerBlock} frames per variant, interleaved, thread CPU time; frames the candidate scored {candidateFrames}"));
        for (var v = 0; v < names.Length; v++)
        {
            Console.WriteLine(string.Create(c, $"  {names[v],-22} median {Median(times[v]) / 1000:0.000} ms/frame  allocated {(double)allocated[v] / (rounds * framesPerBlock):0.###} B/frame"));
        }

        var extra = times[1].Zip(times[0], (s, a) => (s - a) / a).ToArray();
        var perRun = times[1].Zip(times[0], (s, a) => s - a).Zip(times[2], (d, r) => d / r).ToArray();
        Console.WriteLine(string.Create(c, $"  shadow adds, per round: median {Median(extra):+0.0%;-0.0%} of a frame; the added time / one model Run: median {Median(perRun):0.000}"));
        return allocated[1] == 0 ? 0 : 1;
    }
}
