// Help text of `synm audit` (`synm help audit`), kept beside the code it describes.

extension Help {
    static let auditHelp = """
    usage: \(usageLine("audit"))

    A simulation study of how MODEL's synthetic data are weighed (the paper's Theorems 5
    and 8: rows generated from our own sample add no Fisher information; a third party's
    rows add at most what their source units held). At a point — the MLE of the real data
    alone (the default: no synthetic row enters it, so it does not change with --seed), or
    the constrained values in P.json — R replicates each:
      1. simulate the real data, of the real sizes, from their likelihood at the point —
         from MODEL, or from the model given with --truth (misspecification: MODEL's
         estimates are compared with the truth model's parameters of the same names);
      2. regenerate every synthetic node by its generator: bootstrap, reweight and
         periodic rows from the simulated real data (a seed per replicate); a third
         party's external(source_n = N, overlap = K) rows as m draws with replacement
         from N source units, of which the first K are the first K rows of our simulated
         real data (the real node whose likelihood uses the same distribution) and the
         other N − K are simulated at the point;
      3. fit each footing variant by maximum likelihood (L-BFGS from the point, Newton
         polish), with standard errors from the observed information:
           real-only    every synthetic term at weight 0
           as-written   the model as written
           equal        every synthetic term at weight 1, as if its rows were real
           cap          every synthetic term at its cap weight: the largest weight whose
                        SE is not too small when rows are resampled, (N − 2K′)/(N + m − 1)
                        (0 for rows from our own sample; docs/STATISTICS.md)
           calibrated   every synthetic term at a weight calibrated by simulation so that
                        model SE and sampling SD agree (printed with its Monte Carlo error)
         (a model without synthetic likelihood terms has real-only and as-written only).
         Every synthetic term is re-weighted, wherever it is written (loops included).
    Per parameter and footing: bias, RMSE, empirical SD of the estimates, mean reported
    SE, SE/SD (their ratio; below 1 the SEs are too small) and the coverage of nominal 95%
    Wald intervals θ̂ ± 1.96·SE, each ± its Monte Carlo standard error (bias sd/√R, RMSE
    by the delta method, empirical SD sd/√(2(R − 1)), mean SE sd(SE)/√R, SE/SD by bootstrap
    over replicates, coverage √(p(1 − p)/R)); then a chart of the coverages with ±2 MCSE
    error bars. Fits that fail (no convergence, an optimum on a boundary, no positive
    definite information, an error) are counted per footing and reported, and left out of
    its summaries. Replicates run in parallel; the seed fixes every number, whatever the
    thread count. A progress line is drawn on a terminal.

    options:
      --data F          data file (Stan JSON or CSV); default MODEL's NAME.data.json
      --at mle          simulate at the maximum likelihood estimate (the default)
      --params P.json   simulate at these constrained parameter values
      --truth T.synm    simulate the real data from another model (same data file)
      --reps R          replicates (default 200, at least 2)
      --seed S          seed of the simulations, synthetic nodes and MLE start (default 0)
      --threads N       worker threads (default: one per core)
      --shard i/n       run only shard i of n: the replicates i, i + n, i + 2n, …,
                        written to a shard file for `synm merge` (see `synm help
                        merge`); nothing is printed but where the file went
      --shard-output F  the shard file (default MODEL.audit.shard-I-of-N.json)
      --report F.html   an HTML page: coverage and SE/SD per footing, the tables
      --json            one JSON document: {"reps", "at", "footings": [{"name",
                        "parameters": {"mu": {"bias", "empirical_sd", "mean_se",
                        "coverage95", "se_ratio", "rmse", "…_mcse", "fits"}}, "weights",
                        "fits", "failed", "failures"}], "at_mle", "seed", "errors",
                        "design"}
      -h, --help        show this help

    exit codes: 0 ok, 64 usage error, 65 model, data or parameter error, 66 missing file,
    70 no interior MLE to simulate at

    """
}
