-- Chunk intervals by data kind (TimescaleDB only): 7 days for bars and indicators, 30 days for
-- signals and portfolio snapshots, instead of 0006's one day everywhere.
--
-- One-day chunks gave three years of daily bars 1,100 chunks holding 40 rows each. Every chunk
-- costs each statement that may touch it: a prepared statement's generic plan holds every chunk
-- and spends tens of microseconds per chunk at executor start-up before excluding most of them,
-- a custom plan pays planning, and a transaction locks what it touched (1,100 chunks overflow
-- the default lock table, max_locks_per_transaction = 64, under concurrent reads). A one-day
-- chunk also gives a symbol 390 one-minute bars, below the 1,000-row batches the columnstore
-- compresses; seven days give it 1,950. Seven days is TimescaleDB's own default, and a chunk
-- of one-minute bars for 200 symbols is then about 60 MiB with its index, far below the rule
-- that the chunks being written should fit in a quarter of memory. Signals and snapshots are
-- sparse and recompressed for a month (0007): one chunk per 30 days.
-- `python -m benchmarks.run -- -k compression` measures the ratio per interval, and the history
-- steps of the suite the reads (benchmarks/README.md).
--
-- A universe of thousands of symbols makes a 7-day chunk large (about 1.5 GiB for 5,000): shrink
-- the interval with set_chunk_time_interval('market_data', INTERVAL '1 day'). The interval
-- applies to chunks created from now on; existing chunks keep theirs.
--
-- The summaries' materialization hypertables follow TimescaleDB's rule for a continuous
-- aggregate created on such a table: ten times the interval of the table it summarizes.
-- Plain PostgreSQL has no chunks: this migration changes nothing there.
-- depends: 0015_finite_times

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM set_chunk_time_interval('market_data', INTERVAL '7 days');
        PERFORM set_chunk_time_interval('technical_indicators', INTERVAL '7 days');
        PERFORM set_chunk_time_interval('signals', INTERVAL '30 days');
        PERFORM set_chunk_time_interval('portfolio_performance', INTERVAL '30 days');
        PERFORM set_chunk_time_interval(
            format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name),
            CASE view_name WHEN 'hourly_portfolio_performance' THEN INTERVAL '300 days'
                           ELSE INTERVAL '70 days' END)
        FROM timescaledb_information.continuous_aggregates
        WHERE view_schema = current_schema()
          AND view_name IN ('daily_market_summary', 'hourly_market_bars',
                            'hourly_portfolio_performance');
    END IF;
END
$$;
