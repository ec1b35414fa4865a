using System.Runtime.InteropServices;

namespace SweepCluster.Sweeps.Files;

/// <summary>
/// Files named by the user (grids, eigenvalue files, datasets, settings, the store URL file) are read only when they
/// are regular files. A FIFO would block the read until some writer appeared, and a device such as /dev/zero or
/// /dev/urandom never ends, so reading either would hang or fill memory instead of failing.
/// </summary>
public static class RegularFile
{
    // .NET hides the file type (FileInfo.Attributes says Normal for a FIFO and a device alike), so it is read with
    // the runtime's own stat wrapper from its native shim, which every .NET process on Unix loads. Its FileStatus
    // layout is the runtime's, the same on every architecture: Flags (int32), then Mode (int32) at offset 4.
    private const int ModeOffset = 4;
    private const int FileStatusSize = 256;
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (or a link to one), or does not exist (its opening then
    /// says so); otherwise what it is instead, such as "a named pipe (FIFO)", for a message.
    /// </summary>
    public static string? WhatElse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return "a folder";
        }

        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        var status = new byte[FileStatusSize];
        if (Stat(path, status) != 0)
        {
            return null;
        }

        int type = BitConverter.ToInt32(status, ModeOffset) & TypeMask;
        return type switch
        {
            RegularType => null,
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "a special file",
        };
    }

    /// <summary>Throws <see cref="IOException"/> naming what <paramref name="path"/> is when it is not a regular file.</summary>
    public static void EnsureRegular(string path)
    {
        if (WhatElse(path) is { } what)
        {
            throw new IOException($"it is {what}, not a regular file; give the path of a file");
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
