using System.Buffers.Text;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Parses timestamps from UTF-8 without allocating: <c>YYYY-MM-DD HH:MM:SS[.ffffff]</c> (NAB), RFC 3339
/// (<c>T</c>, <c>Z</c> or <c>±hh:mm</c>), and Unix time in seconds (milliseconds when above 1e12).
/// Times without an offset are taken as UTC.
/// </summary>
public static class TimestampParser
{
    public static bool TryParse(ReadOnlySpan<byte> text, out long utcTicks)
    {
        utcTicks = 0;
        text = Trim(text);
        if (text.Length >= 10 && text[4] == (byte)'-')
        {
            return TryParseDate(text, out utcTicks);
        }

        if (!Utf8Parser.TryParse(text, out double seconds, out var consumed) || consumed != text.Length || !double.IsFinite(seconds))
        {
            return false;
        }

        utcTicks = FromUnixSeconds(seconds);
        return utcTicks > 0;
    }

    /// <summary>Unix seconds (milliseconds when above 1e12) to UTC ticks; 0 when out of range.</summary>
    public static long FromUnixSeconds(double seconds)
    {
        if (Math.Abs(seconds) > 1e12)
        {
            seconds /= 1000;
        }

        // Whole seconds and the fraction separately: a double of ~6e17 ticks cannot hold 100 ns.
        var whole = Math.Floor(seconds);
        if (whole < -62135596800 || whole > 253402300799)
        {
            return 0;
        }

        var ticks = DateTime.UnixEpoch.Ticks + ((long)whole * TimeSpan.TicksPerSecond) + (long)Math.Round((seconds - whole) * TimeSpan.TicksPerSecond);
        return ticks > 0 && ticks < DateTime.MaxValue.Ticks ? ticks : 0;
    }

    private static bool TryParseDate(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        if (!Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month) || s[7] != '-' || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fraction = 0;
        var i = 10;
        if (i < s.Length && (s[i] == ' ' || s[i] == 'T' || s[i] == 't'))
        {
            if (!Digits(s, i + 1, 2, out hour) || i + 3 >= s.Length || s[i + 3] != ':' || !Digits(s, i + 4, 2, out minute))
            {
                return false;
            }

            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out second))
                {
                    return false;
                }

                i += 3;
            }

            if (i < s.Length && (s[i] == '.' || s[i] == ','))
            {
                i++;
                var scale = TimeSpan.TicksPerSecond;
                var start = i;
                while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
                {
                    scale /= 10;
                    fraction += (s[i] - '0') * scale;
                    i++;
                }

                if (i == start)
                {
                    return false;
                }
            }
        }

        long offsetTicks = 0;
        if (i < s.Length)
        {
            if (s[i] is (byte)'Z' or (byte)'z' && i == s.Length - 1)
            {
                i++;
            }
            else if (s[i] is (byte)'+' or (byte)'-' && Digits(s, i + 1, 2, out var oh) && s.Length == i + 6 && s[i + 3] == ':' && Digits(s, i + 4, 2, out var om))
            {
                offsetTicks = ((oh * 60) + om) * TimeSpan.TicksPerMinute * (s[i] == '+' ? 1 : -1);
                i += 6;
            }
            else
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction - offsetTicks;
        return utcTicks >= 0;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (s[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        text = text.Trim(" \t\r"u8);
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }

        return text;
    }
}
