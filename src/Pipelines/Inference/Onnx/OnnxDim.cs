namespace EdgeAgent.Pipelines.Inference.Onnx;

/// <summary>One dimension of a declared shape: fixed (<c>3</c>), named dynamic (<c>"N"</c>) or unnamed dynamic.</summary>
public readonly record struct OnnxDim(long Value, string? Symbol)
{
    public static OnnxDim Dynamic { get; } = new(-1, null);

    public static implicit operator OnnxDim(long value) => new(value, null);

    public static implicit operator OnnxDim(string symbol) => new(-1, symbol);

    public override string ToString() => Value > 0 ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol ?? "?";
}
