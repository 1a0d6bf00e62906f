// Help text of `synm variational` (`synm help variational`), beside the command.

extension Help {
    static let variationalHelp = """
    usage: \(usageLine("variational"))

    Approximates the posterior by Pathfinder (Zhang, Carpenter, Gelman & Vehtari 2022,
    JMLR 23(306)), as CmdStan's pathfinder method: each path runs L-BFGS on the negative
    log density (with the Jacobian) on the unconstrained scale from a random init
    uniform(-2, 2) (retried up to 100 times until finite); at every iterate it forms the
    normal approximation whose covariance is the L-BFGS inverse-Hessian estimate (a
    diagonal plus a rank-2J update) and whose mean is the quasi-Newton step, estimates its
    ELBO with K draws, and keeps the iterate with the highest ELBO. With several paths the
    pooled draws are resampled by Pareto-smoothed importance weights p/q (PSIS).

    Pathfinder is fast and approximate: no MCSE, ESS or R-hat. The Pareto k̂ of the
    importance ratios says how good the approximation is: above 0.7 it is poor and a
    warning says to use synm run. The draws also serve to initialise NUTS
    (synm run --init pathfinder).

    options:
      --data F            data file (Stan JSON or CSV); default MODEL's NAME.data.json
      --method M          pathfinder (default) or meanfield: mean-field ADVI (Kucukelbir
                          et al. 2017) with Stan's defaults — eta chosen among 100, 10,
                          1, 0.1, 0.01 by 50-iteration trials; 1 gradient draw, 100 ELBO
                          draws, the ELBO evaluated every 100 iterations, converged when
                          the mean or median relative change < 0.01 (at most 10000
                          iterations); its CSV is CmdStan's variational layout (lp__ = 0,
                          log_p__, log_g__, the model's columns; the first row is the
                          approximation's mean); --paths, --history-size, --elbo-draws,
                          --threads and --no-psis-resample are Pathfinder's only
      --tol-rel-obj T     meanfield: relative ELBO change for convergence (default 0.01)
      --iter N            meanfield: maximum iterations (default 10000)
      --seed S            seed of the inits, the draws and generated synthetic nodes
                          (default 0); the output does not depend on --threads
      --draws N           draws returned, and drawn per path (default 1000) [num_draws]
      --paths P           number of paths (default 4) [num_paths]; 1: single-path
                          Pathfinder, its draws returned without resampling
      --history-size J    L-BFGS history (default 5) [history_size]
      --elbo-draws K      draws per ELBO estimate (default 25) [num_elbo_draws]
      --no-psis-resample  pool the paths' draws without resampling [psis_resample=false]
      --threads N         paths run on up to N threads (default: the processors)
      --output F.csv      write the draws in CmdStan's pathfinder CSV layout: lp_approx__
                          (log density of the approximation), lp__ (log density), then
                          the parameters, lets and predict nodes
      --sig-figs N        significant digits in the CSV (default: round-trip)
      --json              one JSON document: {"method", "seed", "num_paths", "pareto_k",
                          "paths", "failed_paths", "summary", "warnings", …}
      -h, --help          show this help

    exit codes: 0 ok, 64 usage error, 65 model or data error (also: no parameters),
    66 missing file, 70 every path failed (no finite init in 100 tries, no finite ELBO) or
    meanfield failed (no finite init, every eta failed, the ascent reached non-finite
    gradients — e.g. models/arma11.synm), 73 the CSV file cannot be written

    """
}
