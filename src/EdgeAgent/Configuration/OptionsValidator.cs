using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// Validates bound options: data-annotation attributes on every property, then each section's own
/// <see cref="IValidatedOptions.Validate"/>. Collects every problem; never stops at the first.
/// </summary>
internal static class OptionsValidator
{
    /// <summary>
    /// An integer range on a number property converts the value to int to compare it: a value beyond int's range
    /// (-9223372036854775809, found by the config fuzz test) throws instead of failing the check.
    /// </summary>
    private static bool IsValid(ValidationAttribute attribute, object? value)
    {
        try
        {
            return attribute.IsValid(value);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static void Validate(object options, string path, ICollection<ConfigError> errors)
    {
        foreach (var property in OptionsTypes.Properties(options.GetType()))
        {
            var value = property.GetValue(options);
            var propertyPath = ConfigPath.Child(path, ConfigPath.CamelCase(property.Name));
            foreach (var attribute in property.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>())
            {
                if (!IsValid(attribute, value))
                {
                    errors.Add(new ConfigError(propertyPath, Message(attribute, value)));
                }
            }

            if (value is null || OptionsTypes.IsLeaf(property.PropertyType))
            {
                continue;
            }

            if (OptionsTypes.ListElement(property.PropertyType) is not null)
            {
                var index = 0;
                foreach (var item in (IEnumerable)value)
                {
                    if (item is not null && !OptionsTypes.IsLeaf(item.GetType()))
                    {
                        Validate(item, ConfigPath.Index(propertyPath, index), errors);
                    }

                    index++;
                }
            }
            else if (OptionsTypes.MapValue(property.PropertyType) is { } valueType)
            {
                if (!OptionsTypes.IsLeaf(valueType))
                {
                    foreach (DictionaryEntry entry in (IDictionary)value)
                    {
                        if (entry.Value is not null)
                        {
                            Validate(entry.Value, ConfigPath.Child(propertyPath, (string)entry.Key), errors);
                        }
                    }
                }
            }
            else
            {
                Validate(value, propertyPath, errors);
            }
        }

        if (options is IValidatedOptions validated)
        {
            validated.Validate(path, errors);
        }
    }

    private static string Message(ValidationAttribute attribute, object? value)
    {
        var shown = value switch
        {
            null => "nothing",
            string s => $"'{s}'",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return attribute switch
        {
            RangeAttribute range => $"must be {range.Minimum}..{range.Maximum}, got {shown}",
            RequiredAttribute => "is required",
            MinLengthAttribute min => $"must have at least {min.Length} item(s)",
            StringLengthAttribute len => $"must be {len.MinimumLength}..{len.MaximumLength} characters long",
            RegularExpressionAttribute regex => attribute.ErrorMessage ?? $"must match {regex.Pattern}, got {shown}",
            _ => attribute.FormatErrorMessage("value"),
        };
    }
}
