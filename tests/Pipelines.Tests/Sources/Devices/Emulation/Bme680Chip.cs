namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// A Bosch BME680 (chip id 0x61) register map, laid out as its datasheet's memory map and calibration table give it
/// (BST-BME680-DS001, 5.2 and 3.3-3.4), with trimming values in the range of real parts. A forced-mode write to
/// ctrl_meas (0x74) completes the measurement at once: the mode falls back to sleep, new_data_0 is set, and the gas
/// result is flagged valid and the heater stable only if gas conversion was enabled (run_gas) with the heater on.
/// </summary>
internal static class Bme680Chip
{
    public const ushort T1 = 26186;
    public const short T2 = 26433;
    public const sbyte T3 = 3;
    public const ushort P1 = 36177;
    public const short P2 = -10404;
    public const sbyte P3 = 88;
    public const short P4 = 6557;
    public const short P5 = -212;
    public const sbyte P6 = 30;
    public const sbyte P7 = 28;
    public const short P8 = -2406;
    public const short P9 = -3145;
    public const byte P10 = 30;
    public const ushort H1 = 790;
    public const ushort H2 = 1028;
    public const sbyte H3 = 0;
    public const sbyte H4 = 45;
    public const sbyte H5 = 20;
    public const byte H6 = 120;
    public const sbyte H7 = -100;
    public const sbyte G1 = 40;
    public const short G2 = -9582;
    public const sbyte G3 = 18;
    public const byte ResHeatRange = 1;
    public const sbyte ResHeatVal = 40;
    public const byte RangeSwitchingError = 2;

    public static ByteRegisterChip Create(int adcT, int adcP, int adcH, int gasAdc, int gasRange, int address = 0x76)
    {
        var chip = new ByteRegisterChip(address);
        chip.Set(0xd0, 0x61);
        chip.SetUInt16LittleEndian(0xe9, T1);
        chip.SetInt16LittleEndian(0x8a, T2);
        chip.Set(0x8c, unchecked((byte)T3));
        chip.SetUInt16LittleEndian(0x8e, P1);
        chip.SetInt16LittleEndian(0x90, P2);
        chip.Set(0x92, unchecked((byte)P3));
        chip.SetInt16LittleEndian(0x94, P4);
        chip.SetInt16LittleEndian(0x96, P5);
        chip.Set(0x98, unchecked((byte)P7), unchecked((byte)P6));
        chip.SetInt16LittleEndian(0x9c, P8);
        chip.SetInt16LittleEndian(0x9e, P9);
        chip.Set(0xa0, P10);

        // par_h1 = 0xE3 << 4 | 0xE2[3:0]; par_h2 = 0xE1 << 4 | 0xE2[7:4] (datasheet table 14).
        chip.Set(0xe1, (byte)(H2 >> 4), (byte)(((H2 & 0x0f) << 4) | (H1 & 0x0f)), (byte)(H1 >> 4));
        chip.Set(0xe4, unchecked((byte)H3), unchecked((byte)H4), unchecked((byte)H5), H6, unchecked((byte)H7));
        chip.SetInt16LittleEndian(0xeb, G2);
        chip.Set(0xed, unchecked((byte)G1), unchecked((byte)G3));
        chip.Set(0x00, unchecked((byte)ResHeatVal));
        chip.Set(0x02, (byte)(ResHeatRange << 4));
        chip.Set(0x04, (byte)(RangeSwitchingError << 4));
        SetRaw(chip, adcT, adcP, adcH, gasAdc, gasRange);
        chip.Written = (register, value) =>
        {
            if (register == 0x74 && (value & 0b11) == 0b01)
            {
                var gas = (chip.Registers[0x71] & 0x10) != 0 && (chip.Registers[0x70] & 0x08) == 0;
                chip.Registers[0x74] = (byte)(value & 0xfc);
                chip.Registers[0x1d] = 0x80;
                chip.Registers[0x2b] = (byte)((chip.Registers[0x2b] & 0xcf) | (gas ? 0x30 : 0));
            }
        };
        return chip;
    }

    /// <summary>The ADC registers: 20-bit temperature and pressure left-aligned in msb/lsb/xlsb, humidity big-endian,
    /// the 10-bit gas value across gas_r_msb and gas_r_lsb[7:6] with the range in gas_r_lsb[3:0].</summary>
    public static void SetRaw(ByteRegisterChip chip, int adcT, int adcP, int adcH, int gasAdc, int gasRange)
    {
        chip.Set(0x1f, (byte)(adcP >> 12), (byte)(adcP >> 4), (byte)((adcP & 0xf) << 4));
        chip.Set(0x22, (byte)(adcT >> 12), (byte)(adcT >> 4), (byte)((adcT & 0xf) << 4));
        chip.Set(0x25, (byte)(adcH >> 8), (byte)adcH);
        chip.Set(0x2a, (byte)(gasAdc >> 2), (byte)(((gasAdc & 3) << 6) | (chip.Registers[0x2b] & 0x30) | gasRange));
    }
}

/// <summary>The BME680 datasheet's compensation formulas (3.3.1-3.3.5 floating point; gas resistance 3.4.1 in its
/// integer form with the datasheet's const_array1_int/const_array2_int), written out independently of the driver.</summary>
internal static class Bme680Datasheet
{
    private static readonly long[] s_array1 =
    [
        2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2126008810, 2147483647, 2130303777,
        2147483647, 2147483647, 2143188679, 2136746228, 2147483647, 2126008810, 2147483647, 2147483647,
    ];

    private static readonly long[] s_array2 =
    [
        4096000000, 2048000000, 1024000000, 512000000, 255744255, 127110228, 64000000, 32258064,
        16016016, 8000000, 4000000, 2000000, 1000000, 500000, 250000, 125000,
    ];

    public static double TFine(int adcT)
    {
        var var1 = ((adcT / 16384.0) - (Bme680Chip.T1 / 1024.0)) * Bme680Chip.T2;
        var d = (adcT / 131072.0) - (Bme680Chip.T1 / 8192.0);
        return var1 + (d * d * (Bme680Chip.T3 * 16.0));
    }

    public static double Celsius(int adcT) => TFine(adcT) / 5120.0;

    public static double Pascals(int adcP, double tFine)
    {
        var var1 = (tFine / 2.0) - 64000.0;
        var var2 = var1 * var1 * (Bme680Chip.P6 / 131072.0);
        var2 += var1 * Bme680Chip.P5 * 2.0;
        var2 = (var2 / 4.0) + (Bme680Chip.P4 * 65536.0);
        var1 = ((Bme680Chip.P3 * var1 * var1 / 16384.0) + (Bme680Chip.P2 * var1)) / 524288.0;
        var1 = (1.0 + (var1 / 32768.0)) * Bme680Chip.P1;
        var p = 1048576.0 - adcP;
        p = (p - (var2 / 4096.0)) * 6250.0 / var1;
        var1 = Bme680Chip.P9 * p * p / 2147483648.0;
        var2 = p * (Bme680Chip.P8 / 32768.0);
        var var3 = p / 256.0 * (p / 256.0) * (p / 256.0) * (Bme680Chip.P10 / 131072.0);
        return p + ((var1 + var2 + var3 + (Bme680Chip.P7 * 128.0)) / 16.0);
    }

    public static double Percent(int adcH, double celsius)
    {
        var var1 = adcH - ((Bme680Chip.H1 * 16.0) + (Bme680Chip.H3 / 2.0 * celsius));
        var var2 = var1 * (Bme680Chip.H2 / 262144.0 * (1.0 + (Bme680Chip.H4 / 16384.0 * celsius) + (Bme680Chip.H5 / 1048576.0 * celsius * celsius)));
        var var3 = Bme680Chip.H6 / 16384.0;
        var var4 = Bme680Chip.H7 / 2097152.0;
        return var2 + ((var3 + (var4 * celsius)) * var2 * var2);
    }

    public static long GasOhms(int gasAdc, int gasRange)
    {
        var var1 = ((1340 + (5L * Bme680Chip.RangeSwitchingError)) * s_array1[gasRange]) >> 16;
        var var2 = ((long)gasAdc << 15) - 16777216 + var1;
        return (((s_array2[gasRange] * var1) >> 9) + (var2 >> 1)) / var2;
    }

    /// <summary>res_heat_x for a target temperature (3.3.5).</summary>
    public static byte HeaterResistance(double targetCelsius, double ambientCelsius)
    {
        var var1 = (Bme680Chip.G1 / 16.0) + 49.0;
        var var2 = (Bme680Chip.G2 / 32768.0 * 0.0005) + 0.00235;
        var var3 = Bme680Chip.G3 / 1024.0;
        var var4 = var1 * (1.0 + (var2 * targetCelsius));
        var var5 = var4 + (var3 * ambientCelsius);
        return (byte)(3.4 * ((var5 * (4.0 / (4.0 + Bme680Chip.ResHeatRange)) * (1.0 / (1.0 + (Bme680Chip.ResHeatVal * 0.002)))) - 25));
    }
}
