namespace EdgeAgent.Pipelines.Configuration;

/// <summary>
/// Options classes with rules that attributes cannot express (cross-field checks, file existence).
/// The validator calls <see cref="Validate"/> after binding, with the JSON path of the section.
/// </summary>
public interface IValidatedOptions
{
    void Validate(string path, ICollection<ConfigError> errors);
}
