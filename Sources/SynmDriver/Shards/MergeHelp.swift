// Help text of `synm merge` (`synm help merge`), kept beside the code it describes.

extension Help {
    static let mergeHelp = """
    usage: \(usageLine("merge"))

    Merges the shard files of one study run in pieces — `synm audit`, `synm sbc`, `synm
    reflect` or `synm run` with `--shard i/n`, for i = 1…n, e.g. as the tasks of a Slurm
    job array — and prints what the unsharded run prints: the same table, --json document
    and --report page, bit for bit, since replicate r draws from (seed, r) alone. Shard i
    of n holds the replicates i, i + n, i + 2n, … (counted from 1).

    Run shards hold the chains i, i + n, … instead. Chain k draws from (seed, k) and from
    the restart decisions taken where the hmc/nuts chains meet after warmup's first stage,
    which every shard takes for all chains, so the merged run is the unsharded run: the
    same table or --json and warnings, and with --output the same CSV files P_1.csv, …
    (and P_synthetic.json) as `synm run --output P.csv`. Only the measured times differ:
    each chain's are its shard's, and the wall time is the slowest shard's.

    Before merging it checks that the files belong together: the same command, synm
    version, model (FNV-1a 64 hash of the model file), data (hash of the data files),
    seed, options that change results (--reps, --params, --truth; sbc's --bins,
    --sampler, --warmup, --draws; reflect's --synthetic-n, --node, --footing, --iid-theta
    and sampling options; run's --chains, --warmup, --draws, --thin, --sampler, --init,
    --adapt-delta, --max-depth, --int-time, --metric, --metric-file, --stepsize, --jitter,
    --save-warmup, --sig-figs, --refresh) and number of shards n; every shard 1…n given
    exactly once; no shard that failed. Otherwise it names the file, or the shard by
    number (missing, given twice, failed), and merges nothing (exit 65): no output, no
    file written.

    A shard file is JSON: synm_shard (1), command, synm_version, model_hash, data_hash,
    seed, options, shard {index, count}, reps, status ("ok" or "failed" with error),
    context (what the report prints that is fixed before the replicates), replicates
    (their numbers) and results (audit: per replicate and footing the estimate, se,
    failure and message; sbc: the rank of each parameter value; reflect: each update's
    summaries, histograms and importance weights, with the current posterior's draws in
    the context). A run shard has chains (their total) and chain_numbers in place of reps
    and replicates, per chain its reported columns per draw, the seven sampler columns,
    saved warmup, adapted step size and metric, restarts and times, the warnings printed
    while preparing the model (merge prints them again), and wall_seconds.

    options:
      --output P.csv    run shards: write the draws files P_1.csv, P_2.csv, … and
                        P_synthetic.json, as `synm run --output P.csv` writes them
      --report F.html   the audit's, reflection's or run's HTML page, as the command's
                        --report writes it
      --json            the merged result as the command's --json document
      -h, --help        show this help

    exit codes: 0 ok, 64 usage error, 65 shards that do not belong together, a missing,
    duplicated or failed shard, or a damaged shard file, 66 a file that cannot be read,
    73 cannot write the report or draws files

    """
}
