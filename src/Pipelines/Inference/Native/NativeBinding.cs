using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// The OrtValue* arrays one Run takes, in native memory. A session has one for its full shapes and, when a pipeline
/// runs fewer rows than the batch it was loaded for, one per row count (views over the same pinned buffers).
/// </summary>
internal sealed unsafe class NativeBinding : IDisposable
{
    // Referenced so the tensors cannot be finalised while their pointers sit in the arrays below.
    private readonly OrtValueHandle[] _values;

    public NativeBinding(OrtValueHandle[] inputs, OrtValueHandle[] outputs)
    {
        _values = [.. inputs, .. outputs];
        Inputs = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, inputs.Length), (nuint)sizeof(nint));
        Outputs = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, outputs.Length), (nuint)sizeof(nint));
        for (var i = 0; i < inputs.Length; i++)
        {
            Inputs[i] = inputs[i].DangerousGetHandle();
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            Outputs[i] = outputs[i].DangerousGetHandle();
        }

        InputCount = (nuint)inputs.Length;
        OutputCount = (nuint)outputs.Length;
    }

    public nint* Inputs { get; private set; }

    public nint* Outputs { get; private set; }

    public nuint InputCount { get; }

    public nuint OutputCount { get; }

    public void Dispose()
    {
        NativeMemory.Free(Inputs);
        NativeMemory.Free(Outputs);
        Inputs = Outputs = null;
    }
}
