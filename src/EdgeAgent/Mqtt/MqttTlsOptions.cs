using System.ComponentModel;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Mqtt;

public sealed class MqttTlsOptions : IValidatedOptions
{
    [Description("Use TLS. The broker's certificate must chain to caFile (or the system store) and match the host name.")]
    public bool Enabled { get; set; }

    [Description("PEM file of the CA(s) that signed the broker's certificate. Empty: the system's trusted CAs (/etc/ssl/certs).")]
    public string CaFile { get; set; } = string.Empty;

    [Description("PEM client certificate, for brokers that require client authentication.")]
    public string CertFile { get; set; } = string.Empty;

    [Description("PEM private key of certFile (unencrypted; keep it mode 0600).")]
    public string KeyFile { get; set; } = string.Empty;

    [Description("TLS version to require: tlsv1.2 or tlsv1.3. Empty: the library's default (1.2 or newer).")]
    [System.ComponentModel.DataAnnotations.RegularExpression("^$|^tlsv1\\.[23]$", ErrorMessage = "must be tlsv1.2 or tlsv1.3")]
    public string Version { get; set; } = string.Empty;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var (name, file) in new[] { ("caFile", CaFile), ("certFile", CertFile), ("keyFile", KeyFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, name), $"'{file}' does not exist; fix the path"));
            }
        }

        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, string.IsNullOrEmpty(CertFile) ? "certFile" : "keyFile"), "certFile and keyFile go together: give both or neither"));
        }
    }
}
