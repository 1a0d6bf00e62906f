// `synm help report`.

extension Help {
    static let reportHelp = """
    usage: \(usageLine("report"))

    Writes one self-contained HTML page (inline SVG and CSS: no scripts, fonts or network
    requests; it opens in any browser offline) about a sampling run, from its CmdStan-format
    CSV files — those `synm run --output P.csv` writes, or Stan's (CmdStan, cmdstanpy):
      - the summary table (Mean, MCSE, StdDev, 5/50/95%, ESS_bulk, ESS_tail, R_hat; cells
        that fail a check in red) and the warnings `synm run` gives;
      - per quantity a trace plot (a line per chain, divergent draws marked), a rank plot
        (each draw's rank among all chains' draws, histogrammed per chain: flat when the
        chains mix) and the marginal density (pooled kernel density, Silverman bandwidth,
        with each chain's own);
      - a pair plot of up to four quantities (the first four, or --pairs) with divergent
        draws in red;
      - the energy plot (marginal energy against energy transitions) with E-BFMI per chain;
      - the model source (with --model) and the run's configuration from the CSV comments.

    DRAWS.csv is a prefix: P.csv reads P_1.csv, P_2.csv, … (or P.csv itself if there are no
    numbered files); several files are read as the chains of one run. Warmup draws saved
    with save_warmup=1 are dropped. The page is written whole or not at all.

    Each file is checked before anything is computed, and refused (exit 65, FILE:LINE) when
    it is damaged: a row with the wrong number of fields or a cell that is not a number, a
    missing or unreadable adaptation block (step size, inverse metric), fewer or more draws
    than num_samples, thin and save_warmup promise, a treedepth__, n_leapfrog__ or
    divergent__ value that cannot be one. The files must be the chains of one run: each
    given once, the same columns, model, seed and number of draws, distinct chain ids, and
    no more files than the run's num_chains — a chain file left from an earlier run with
    the same prefix is refused, not mixed in.

    `synm run MODEL --report out.html` writes the same page straight from a run;
    `synm fisher`, `synm audit` and `synm reflect` take --report out.html for their own
    pictures (information claimed vs warranted per source; coverage per footing with Monte
    Carlo error bars; current vs averaged-updated vs single-update densities).

    options:
      --output F      the HTML file (default: DRAWS with .html for .csv)
      --model M       the model file, shown in the report
      --pairs a,b,c   the quantities of the pair plot (at most 4; theta[1] or theta.1)
      -h, --help      show this help

    exit codes: 0 ok, 64 usage error, 65 the files are not draws files, 66 a file is
    missing, 73 cannot write the report

    """
}
