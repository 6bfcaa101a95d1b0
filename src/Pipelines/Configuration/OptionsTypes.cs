using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace EdgeAgent.Pipelines.Configuration;

/// <summary>
/// How the configuration tools (shape check, validation, schema, printing) classify an options property type.
/// One place, so that the four of them agree on what is a leaf, a list, a map or a nested section.
/// </summary>
public static class OptionsTypes
{
    public static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
               type == typeof(TimeSpan) || type == typeof(Uri);
    }

    /// <summary>The element type of a list or array property, or null.</summary>
    public static Type? ListElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }

    /// <summary>The value type of a string-keyed dictionary property, or null.</summary>
    public static Type? MapValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) &&
        type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    /// <summary>
    /// Why the reflection over options types below is safe when trimmed: both assemblies that declare options types
    /// (edgeagent and EdgeAgent.Pipelines) are trimmer roots (TrimmerRootAssembly in src/EdgeAgent/EdgeAgent.csproj), so every options
    /// class keeps its properties, attributes and constructors in a Native AOT build. The process-level tests run
    /// against the AOT binary prove it (schema output, unknown-key checks, validation).
    /// </summary>
    private const string RootedJustification =
        "Options types live in edgeagent and EdgeAgent.Pipelines, which are TrimmerRootAssembly: nothing of theirs is trimmed.";

    /// <summary>
    /// The bindable properties of an options class, in declaration order. GetProperties returns metadata order for a
    /// type without base properties (every options class is sealed and derives from object) on CoreCLR and Native AOT
    /// alike; MetadataToken, which the order used to be taken from, does not exist under Native AOT.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RootedJustification)]
    public static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0);

    /// <summary>A new options object with its inline defaults (every options class has a public parameterless constructor).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = RootedJustification)]
    public static object CreateDefault(Type type) =>
        Activator.CreateInstance(type) ?? throw new InvalidOperationException($"{type.Name} has no parameterless constructor");

    public static PropertyInfo? Find(Type type, string key) =>
        Properties(type).FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));

    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string) || type == typeof(Uri))
        {
            return "a string";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(ConfigPath.CamelCase));
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ||
            type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(TimeSpan))
        {
            return "a time span (hh:mm:ss)";
        }

        if (ListElement(type) is not null)
        {
            return "an array";
        }

        return "an object";
    }
}
