using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// One reading of one channel. A 24-byte value type so that samples move through bounded channels and ring buffers
/// without allocating. <see cref="TimestampTicks"/> are UTC <see cref="DateTime.Ticks"/> (100 ns since 0001-01-01).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Sample(long TimestampTicks, int Channel, double Value);
