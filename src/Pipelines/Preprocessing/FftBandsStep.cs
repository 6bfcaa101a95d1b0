using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>
/// Vibration-style spectrum features: per channel, the mean removed, a Hann window applied, the FFT magnitude of
/// bins 1..N/2 averaged over equal-width bands (amplitude-normalised so a unit sine reads ~0.5 in its band).
/// </summary>
public sealed class FftBandsStep : FeatureStep
{
    private readonly int[] _channels;
    private readonly int _bands;
    private readonly Fft _fft;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _hann;

    public FftBandsStep(int[] channels, int size, int bands)
    {
        _channels = channels;
        _fft = new Fft(size);
        _bands = Math.Min(bands, size / 2);
        _re = new double[size];
        _im = new double[size];
        _hann = new double[size];
        for (var i = 0; i < size; i++)
        {
            _hann[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / size));
        }
    }

    public override int Length => _channels.Length * _bands;

    public override void Write(WindowData window, Span<float> destination, Span<float> written)
    {
        var n = _fft.Size;
        var bins = n / 2;
        var o = 0;
        foreach (var channel in _channels)
        {
            var x = window.Channel(channel);
            double mean = 0;
            for (var i = 0; i < x.Length; i++)
            {
                mean += x[i];
            }

            mean = x.Length > 0 ? mean / x.Length : 0;
            for (var i = 0; i < n; i++)
            {
                _re[i] = i < x.Length ? (x[i] - mean) * _hann[i] : 0;
                _im[i] = 0;
            }

            _fft.Forward(_re, _im);

            // The Hann window halves the amplitude on average; 4/N restores a unit sine's peak to ~1, spread
            // over the band's bins.
            var scale = 4.0 / n;
            for (var b = 0; b < _bands; b++)
            {
                var from = 1 + (b * bins / _bands);
                var to = 1 + ((b + 1) * bins / _bands);
                double sum = 0;
                for (var k = from; k < to; k++)
                {
                    sum += Math.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
                }

                destination[o++] = (float)(sum * scale / Math.Max(1, to - from));
            }
        }
    }

    public override void AddNames(List<string> names, IReadOnlyList<string> channelNames)
    {
        foreach (var c in _channels)
        {
            for (var b = 0; b < _bands; b++)
            {
                names.Add($"{channelNames[c]}.band{b}");
            }
        }
    }
}
