using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>A temporary native array of UTF-8 C strings (cold paths).</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly int _count;

    public NativeStrings(string[] values)
    {
        _count = values.Length;
        Pointers = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, values.Length), (nuint)sizeof(nint));
        for (var i = 0; i < values.Length; i++)
        {
            Pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }
    }

    public nint* Pointers { get; private set; }

    public void Dispose()
    {
        if (Pointers is null)
        {
            return;
        }

        for (var i = 0; i < _count; i++)
        {
            Marshal.FreeCoTaskMem(Pointers[i]);
        }

        NativeMemory.Free(Pointers);
        Pointers = null;
    }
}
