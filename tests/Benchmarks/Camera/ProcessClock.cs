using System.Globalization;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// CPU time and run-queue wait of this process and of its ffmpeg children, from /proc (Linux): where the time of a
/// camera pipeline goes besides the inference thread itself.
/// </summary>
internal readonly record struct ProcessClock(double SelfCpu, double SelfRunQueue, double FfmpegCpu, double FfmpegRunQueue)
{
    /// <summary>Seconds on a CPU and context switches of each live thread of a process, by thread id (with its name).</summary>
    public static Dictionary<int, (string Name, double Cpu, long Switches)> ThreadTimes(string pid = "self")
    {
        var times = new Dictionary<int, (string, double, long)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                var switches = File.ReadLines(Path.Combine(task, "status")).Where(l => l.Contains("ctxt_switches", StringComparison.Ordinal))
                    .Sum(l => long.Parse(l[(l.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture));
                times[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    (File.ReadAllText(Path.Combine(task, "comm")).Trim(), long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9, switches);
            }
            catch (IOException)
            {
            }
        }

        return times;
    }

    /// <summary>The busiest threads between two <see cref="ThreadTimes"/> readings, as "name cores" pairs.</summary>
    public static string Busiest(
        Dictionary<int, (string Name, double Cpu, long Switches)> before, Dictionary<int, (string Name, double Cpu, long Switches)> after, double seconds) =>
        string.Join(", ", after
            .Select(t => (t.Value.Name, Cores: (t.Value.Cpu - (before.TryGetValue(t.Key, out var b) ? b.Cpu : 0)) / seconds,
                Switches: (t.Value.Switches - (before.TryGetValue(t.Key, out var c) ? c.Switches : 0)) / seconds))
            .Where(t => t.Cores >= 0.005 || t.Switches >= 50).OrderByDescending(t => t.Cores)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Cores:0.000} ({t.Switches:0} switches/s)")));


    public static ProcessClock Read()
    {
        var self = Environment.ProcessId;
        var (selfCpu, selfQueue) = (StatCpu(self), Threads(self).RunQueue);
        double ffmpegCpu = 0, ffmpegQueue = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self)
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == self && stat.Contains("(ffmpeg)", StringComparison.Ordinal))
                {
                    var (cpu, queue) = Threads(pid);
                    ffmpegCpu += cpu;
                    ffmpegQueue += queue;
                }
            }
            catch (IOException)
            {
                // The process ended while it was being read.
            }
        }

        return new ProcessClock(selfCpu, selfQueue, ffmpegCpu, ffmpegQueue);
    }

    /// <summary>The pid of this process's ffmpeg child, if one runs.</summary>
    public static int? FfmpegChild()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && File.ReadAllText(Path.Combine(directory, "stat")) is var stat &&
                    stat.Contains("(ffmpeg)", StringComparison.Ordinal) &&
                    stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    public static ProcessClock operator -(ProcessClock a, ProcessClock b) =>
        new(a.SelfCpu - b.SelfCpu, a.SelfRunQueue - b.SelfRunQueue, a.FfmpegCpu - b.FfmpegCpu, a.FfmpegRunQueue - b.FfmpegRunQueue);

    /// <summary>utime + stime from /proc/PID/stat: unlike the per-thread figures it keeps the time of threads that ended.</summary>
    private static double StatCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Seconds on a CPU and seconds runnable but waiting for one, summed over the process's threads.</summary>
    private static (double Cpu, double RunQueue) Threads(int pid)
    {
        double cpu = 0, queue = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    // schedstat: nanoseconds on CPU, nanoseconds waiting on a run queue, time slices.
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    cpu += long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9;
                    queue += long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9;
                }
                catch (IOException)
                {
                }
            }
        }
        catch (IOException)
        {
        }

        return (cpu, queue);
    }
}
