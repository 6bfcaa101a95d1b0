namespace EdgeAgent.Pipelines.Inference;

/// <summary>Sizes and CLR counterparts of the element types the agent binds.</summary>
public static class TensorElementTypes
{
    public static bool IsSupported(TensorElementType type) => SizeOf(type) > 0;

    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.Int16 or TensorElementType.UInt16 or TensorElementType.Float16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        _ => 0,
    };

    public static bool Matches<T>(TensorElementType type)
        where T : unmanaged =>
        type switch
        {
            TensorElementType.Float => typeof(T) == typeof(float),
            TensorElementType.UInt8 => typeof(T) == typeof(byte),
            TensorElementType.Int8 => typeof(T) == typeof(sbyte),
            TensorElementType.Int16 => typeof(T) == typeof(short),
            TensorElementType.UInt16 => typeof(T) == typeof(ushort),
            TensorElementType.Int32 => typeof(T) == typeof(int),
            TensorElementType.UInt32 => typeof(T) == typeof(uint),
            TensorElementType.Int64 => typeof(T) == typeof(long),
            TensorElementType.UInt64 => typeof(T) == typeof(ulong),
            TensorElementType.Float16 => typeof(T) == typeof(Half),
            TensorElementType.Bool => typeof(T) == typeof(bool),
            TensorElementType.Double => typeof(T) == typeof(double),
            _ => false,
        };

    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string ClrName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Float16 => "Half",
        TensorElementType.Double => "double",
        TensorElementType.UInt8 => "byte",
        TensorElementType.Int8 => "sbyte",
        TensorElementType.Int16 => "short",
        TensorElementType.UInt16 => "ushort",
        TensorElementType.Int32 => "int",
        TensorElementType.UInt32 => "uint",
        TensorElementType.Int64 => "long",
        TensorElementType.UInt64 => "ulong",
        TensorElementType.Bool => "bool",
        _ => "?",
    };
}
