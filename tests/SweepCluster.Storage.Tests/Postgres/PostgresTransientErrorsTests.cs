using System.Net.Sockets;
using Npgsql;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Storage.Tests.Postgres;

public sealed class PostgresTransientErrorsTests
{
    [Theory]
    [InlineData("57P01", true, true)] // admin_shutdown: a restart or a failover
    [InlineData("57P02", true, true)] // crash_shutdown
    [InlineData("57P03", true, true)] // cannot_connect_now: still starting
    [InlineData("08006", true, true)] // connection_failure
    [InlineData("08001", true, true)]
    [InlineData("40001", true, false)] // serialization_failure: the transaction lost a race, the connection is fine
    [InlineData("40P01", true, false)] // deadlock_detected
    [InlineData("53300", true, false)] // too_many_connections
    [InlineData("23505", false, false)] // unique_violation: a bug, the same every time
    [InlineData("42P01", false, false)] // undefined_table: not migrated
    [InlineData("53100", false, false)] // disk_full: waiting seconds does not cure it
    public void ServerErrorsAreClassifiedBySqlState(string sqlState, bool transient, bool connectionLoss)
    {
        var error = new PostgresException("message", "ERROR", "ERROR", sqlState);

        Assert.Equal((transient, connectionLoss), (PostgresTransientErrors.IsTransient(error), PostgresTransientErrors.IsConnectionLoss(error)));
    }

    [Fact]
    public void ALostOrRefusedConnectionIsTransient()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.True(PostgresTransientErrors.IsTransient(refused) && PostgresTransientErrors.IsConnectionLoss(refused));
        Assert.True(PostgresTransientErrors.IsTransient(broken) && PostgresTransientErrors.IsConnectionLoss(broken));
    }

    [Fact]
    public void ATimeoutIsTransientButSaysNothingAboutTheConnections()
    {
        var timeout = new NpgsqlException("The connection pool has been exhausted", new TimeoutException());

        Assert.True(PostgresTransientErrors.IsTransient(timeout));
        Assert.False(PostgresTransientErrors.IsConnectionLoss(timeout));
    }

    [Fact]
    public void ErrorsOfTheCallerAreNeverRetried()
    {
        Assert.False(PostgresTransientErrors.IsTransient(new ArgumentException("bad cell")));
        Assert.False(PostgresTransientErrors.IsTransient(new InvalidOperationException("no such unit")));
        Assert.False(PostgresTransientErrors.IsTransient(new OperationCanceledException()));
    }
}
