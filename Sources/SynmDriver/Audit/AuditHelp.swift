// Help text of `synm audit` (`synm help audit`), kept beside the code it describes.

extension Help {
    static let auditHelp = """
    usage: \(usageLine("audit"))

    A simulation study of how MODEL's synthetic data are weighed (the paper's Theorems 5
    and 8: rows generated from our own sample add no Fisher information; a third party's
    rows add at most what their source units held). At a point — the MLE of the model as
    written (the default), or the constrained values in P.json — R replicates each:
      1. simulate the real data, of the real sizes, from their likelihood at the point;
      2. regenerate every synthetic node by its generator: bootstrap, reweight and
         periodic rows from the simulated real data (a seed per replicate); a third
         party's external(source_n = N, overlap = K) rows as m draws with replacement
         from N source units, of which the first K are the first K rows of our simulated
         real data (the real node whose likelihood uses the same distribution) and the
         other N − K are simulated at the point from the external node's own likelihood;
      3. fit each footing variant by maximum likelihood (L-BFGS from the point, Newton
         polish), with standard errors from the observed information:
           real-only    the synthetic terms dropped
           as-written   the model as written
           equal        every synthetic term at weight 1, as if its rows were real
           cap          every synthetic term at `footing cap` (0 for rows from our own
                        sample, min(1, (N − K)/m) for a third party's)
         (a model without synthetic likelihood terms has real-only and as-written only).
    cap rests on Theorem 8's upper bound: a third party's rows resampled with replacement
    carry less than their N − K units, so capped SEs can still be somewhat too small —
    the audit shows by how much.
    Per parameter and footing: bias, empirical SD of the estimates, mean reported SE,
    SE/SD (their ratio; below 1 the SEs are too small) and the coverage of nominal 95%
    Wald intervals θ̂ ± 1.96·SE, each ± its Monte Carlo standard error (bias sd/√R,
    empirical SD sd/√(2(R − 1)), mean SE sd(SE)/√R, SE/SD by bootstrap over replicates,
    coverage √(p(1 − p)/R)); then a chart of the coverages with ±2 MCSE error bars.
    Fits that fail (no convergence, an optimum on a boundary, no positive definite
    information, an error) are counted per footing and reported, and left out of its
    summaries. Replicates run in parallel; the seed fixes every number, whatever the
    thread count. Only top-level `~` statements on synthetic nodes are re-weighted.

    options:
      --data F          data file (Stan JSON or CSV); default MODEL's NAME.data.json
      --at mle          simulate at the maximum likelihood estimate (the default)
      --params P.json   simulate at these constrained parameter values
      --reps R          replicates (default 200, at least 2)
      --seed S          seed of the simulations, synthetic nodes and MLE start (default 0)
      --threads N       worker threads (default: one per core)
      --json            one JSON document: {"reps", "at", "footings": [{"name",
                        "parameters": {"mu": {"bias", "empirical_sd", "mean_se",
                        "coverage95", "se_ratio", "…_mcse", "fits"}}, "weights", "fits",
                        "failed", "failures"}], "at_mle", "seed", "errors"}
      -h, --help        show this help

    exit codes: 0 ok, 64 usage error, 65 model, data or parameter error, 66 missing file,
    70 no interior MLE to simulate at

    """
}
