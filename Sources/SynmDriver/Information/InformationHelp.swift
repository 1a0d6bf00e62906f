// Help texts of `synm optimize` and `synm fisher` (`synm help optimize`, `synm help fisher`),
// kept beside the code they describe; Help.swift dispatches to them.

extension Help {
    static let optimizeHelp = """
    usage: \(usageLine("optimize"))

    Finds the posterior mode (MAP, the default) or, with --mle, the maximum likelihood
    estimate, and its standard errors.

    MAP maximises the log density on the constrained scale without the log-Jacobian of the
    bound transforms (as CmdStan's optimize does by default); --mle maximises the
    log-likelihood alone: every `~` term on data, footing weights applied, priors left out.
    The search runs on the unconstrained scale by L-BFGS (Nocedal & Wright 2006, Alg. 7.5,
    strong Wolfe line search) from a start drawn uniform(-2, 2) on the unconstrained scale
    (from --seed, default 0; redrawn until the objective is finite), then polishes with
    Newton steps on the exact Hessian (forward-over-reverse autodiff).

    Standard errors are the square roots of the diagonal of the inverse observed
    information, −∇² of the objective with respect to the constrained parameters at the
    optimum. synm says so, and prints no standard errors, when:
      - the optimum is on a boundary (a bounded parameter runs to its bound, e.g. a
        probability of 1 when every trial succeeded),
      - the objective is unbounded (e.g. a normal sd → 0 on one observation),
      - the Hessian is not negative definite (its eigenvalues and the flat or upward
        directions are printed).

    options:
      --data F      data file (Stan JSON or CSV); default MODEL's NAME.data.json
      --mle         maximum likelihood instead of MAP
      --seed S      seed of the start and of generated synthetic nodes (default 0)
      --json        one JSON document: {"kind", "estimate", "se", "lp", "converged",
                    "iterations", "newton_steps", "hessian_eigenvalues", "boundary", "warnings"}
      -h, --help    show this help

    exit codes: 0 ok, 64 usage error, 65 model or data error, 66 missing file,
    70 no optimum found (unbounded objective, runaway parameter or no convergence)

    """

    static let fisherHelp = """
    usage: \(usageLine("fisher"))

    The Fisher information of MODEL's likelihood at a point: by default the MLE (found as by
    'synm optimize --mle'), or the constrained values in P.json ({"mu": 0.5, "sigma": 2}).

    observed    J = −∇² log-likelihood (priors excluded; every `~` term on data with its
                footing weight), exact second-order autodiff, and standard errors √diag(J⁻¹).
                Derivatives are with respect to the constrained parameters; with
                --unconstrained, with respect to the unconstrained values (the sampler's
                scale), where I_u = J_gᵀ I_θ J_g at the MLE.
    expected    with --expected N: N data sets simulated at the point (data nodes from their
                likelihood, generated synthetic nodes regenerated from each simulated
                sample); the mean of score outer products E[s sᵀ] and of −∇² log-likelihood,
                each entry with its Monte Carlo standard error.
    by source   each top-level likelihood term: the information it claims under its footing
                (weight × its own information) beside the information it is warranted —
                real data: its own; rows generated from our own sample: 0 (Theorem 5);
                a third party's m rows from source_n units, overlap of them ours: its own
                times min(1, (source_n − overlap)/m) (Theorem 8). Its effective sample size
                is rows × tr(information)/tr(its own information), in real rows. The model's
                information inflation factor is (det claimed / det warranted)^(1/d); standard
                errors are shown claimed versus warranted.

    options:
      --data F            data file (Stan JSON or CSV); default MODEL's NAME.data.json
      --at mle            evaluate at the maximum likelihood estimate (the default)
      --params P.json     evaluate at these constrained parameter values
      --expected N        also the expected information over N simulated data sets
                          (N at most 100000)
      --seed S            seed of simulations, synthetic nodes and the MLE start (default 0)
      --unconstrained     derivatives with respect to the unconstrained values
      --json              one JSON document: {"at", "scale", "names", "observed", "se",
                          "expected", "expected_mcse", "sources": [{"node", "kind",
                          "footing", "weight", "claimed", "warranted", …}], …}
      -h, --help          show this help

    exit codes: 0 ok, 64 usage error, 65 model, data or parameter error, 66 missing file,
    70 no interior MLE

    """
}
