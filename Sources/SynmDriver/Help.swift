// Help texts: `synm --help` and `synm help COMMAND`. Keep them true to what is built.

enum Help {
    /// Commands this version implements.
    static let commandNames = ["check", "run", "logprob", "optimize", "variational", "fisher", "audit", "simulate", "sbc", "reflect", "repl", "report", "merge", "predict", "loo"]
    /// Commands of the design that are not built yet (they answer with a clear message).
    static let plannedCommands: [String] = []

    static let overview = """
    synm \(synmVersion) — a probabilistic programming language that treats synthetic data honestly

    usage: synm COMMAND [OPTIONS]

    commands:
      check MODEL [--json]     parse and check a model; print its structure
      run MODEL [--data F]… [--sampler nuts|hmc|metropolis] [--chains 4] [--warmup 1000]
          [--draws 1000] [--thin N] [--seed S] [--init F|R|pathfinder]
          [--metric diag|dense|unit] [--metric-file F.json] [--stepsize E] [--jitter J]
          [--output PREFIX.csv] [--save-warmup] [--sig-figs N] [--shard i/n]
          [--report F.html] [--json]
                               MCMC; a summary table (mean, MCSE, sd, quantiles, ESS, R-hat)
      logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]
                               log density, gradient and exact Hessian at a point
      optimize MODEL [--data F] [--mle] [--seed S] [--sandwich R] [--json]
                               MAP or MLE (L-BFGS, Newton polish) with standard errors
      variational MODEL [--data F] [--method pathfinder|meanfield] [--seed S]
          [--draws 1000] [--paths 4] [--output F.csv] [--json]
                               Pathfinder (or --method meanfield ADVI): fast approximate
                               posterior draws, a summary table, CmdStan's CSV, Pareto k̂
      fisher MODEL [--data F] [--at mle | --params P.json] [--expected N] [--seed S]
          [--unconstrained] [--json]
                               observed and expected Fisher information; claimed vs
                               warranted information per data source
      audit MODEL [--data F] [--at mle | --params P.json] [--reps 200] [--truth T]
          [--shard i/n] [--json]
                               simulation study of the footings: bias, RMSE, SE and 95%
                               coverage of real-only, as-written, equal, cap, calibrated
      simulate MODEL (--params P.json | --prior) [--data F] [--seed S] [--output F]
                               forward-simulate the data; prints a data file for MODEL
      sbc MODEL [--data F] [--reps 100] [--seed S] [--sampler S] [--shard i/n]
                               simulation-based calibration: rank histograms, χ² tests
      reflect MODEL --synthetic-n M [--node y] [--reps 200] [--footing F] [--steps K]
          [--shard i/n]
                               the reflection principle: updating on blocks drawn from
                               the posterior predictive gains nothing on average
      repl [MODEL] [--data F]  interactive: sample, then ask questions of the posterior
                               (mean(p), P(p > 0.5), quantile(p, 0.95), hist(p), …)
      report DRAWS.csv [--output out.html] [--model M.synm] [--pairs a,b]
                               an HTML page of plots from CmdStan CSV draws (synm's or
                               Stan's); run, fisher, audit and reflect take --report F
      merge FILES... [--output P.csv] [--report F.html] [--json]
                               the shard files of an audit, sbc, reflect or run with
                               --shard i/n, checked and merged: the unsharded output
      predict MODEL --fit FIT.csv [FIT2.csv …] [--seed S] [--output P.csv] [--json]
                               standalone generated quantities: the lets and predict
                               nodes for every draw of an existing fit (synm's or CmdStan's)
      loo FIT.csv [FIT2.csv …] [--var log_lik] [--json]
      loo MODEL.synm --fit FIT.csv [--var log_lik] [--json]
                               PSIS-LOO: elpd_loo, p_loo, looic with SEs and the Pareto k
                               table, from a pointwise log likelihood
      help COMMAND             show help for a command
      --version                print the version

    exit codes: 0 ok, 64 usage error, 65 model or data error, 66 missing input file,
    70 runtime failure, 73 cannot write an output file
    run 'synm help check' for details.

    """

    static func usageLine(_ command: String) -> String {
        switch command {
        case "check": return "synm check MODEL [--json]"
        case "run":
            return "synm run MODEL [--data F]… [--sampler nuts|hmc|metropolis|fixed_param] [--chains N] [--warmup N] [--draws N] [--thin N] [--seed S] [--init F|R|pathfinder] [--adapt-delta D] [--max-depth N] [--int-time T] [--metric diag|dense|unit] [--metric-file F.json] [--stepsize E] [--jitter J] [--threads N] [--output PREFIX.csv] [--save-warmup] [--sig-figs N] [--refresh N] [--shard i/n [--shard-output F.json]] [--report F.html] [--json]"
        case "logprob": return "synm logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]"
        case "optimize": return "synm optimize MODEL [--data F] [--mle] [--seed S] [--sandwich R] [--json]"
        case "variational":
            return "synm variational MODEL [--data F]… [--method pathfinder|meanfield] [--seed S] [--draws N] [--paths P] [--history-size J] [--elbo-draws K] [--no-psis-resample] [--threads N] [--tol-rel-obj T] [--iter N] [--output F.csv] [--sig-figs N] [--json]"
        case "reflect":
            return "synm reflect MODEL --synthetic-n M [--data F] [--node y] [--reps R] [--footing equal|cap|calibrated|\"power(a)\"] [--iid-theta] [--steps K] [--seed S] [--chains N] [--warmup N] [--draws N] [--threads N] [--shard i/n [--shard-output F.json]] [--report F.html] [--json]"
        case "simulate": return "synm simulate MODEL (--params P.json | --prior) [--data F] [--seed S] [--output F]"
        case "sbc":
            return "synm sbc MODEL [--data F] [--reps N] [--seed S] [--sampler nuts|hmc|metropolis] [--warmup N] [--draws N] [--bins B] [--threads N] [--shard i/n [--shard-output F.json]] [--json]"
        case "fisher":
            return "synm fisher MODEL [--data F] [--at mle | --params P.json] [--expected N] [--seed S] [--unconstrained] [--report F.html] [--json]"
        case "audit":
            return "synm audit MODEL [--data F] [--at mle | --params P.json] [--truth T.synm] [--reps R] [--seed S] [--threads N] [--shard i/n [--shard-output F.json]] [--report F.html] [--json]"
        case "merge": return "synm merge FILES... [--output P.csv] [--report F.html] [--json]"
        case "repl": return "synm repl [MODEL] [--data F]"
        case "loo": return "synm loo (FIT.csv [FIT2.csv …] | MODEL.synm --fit FIT.csv [FIT2.csv …] [--data F]… [--seed S]) [--var log_lik] [--r-eff chains|R] [--json]"
        case "predict": return "synm predict MODEL --fit FIT.csv [FIT2.csv …] [--data F]… [--seed S] [--output P.csv] [--sig-figs N] [--json]"
        case "report": return "synm report DRAWS.csv [FILES…] [--output out.html] [--model M.synm] [--pairs a,b,c]"
        default: return "synm COMMAND [OPTIONS]"
        }
    }

    static func command(_ name: String) -> String? {
        switch name {
        case "check":
            return """
            usage: synm check MODEL [--json]

            Parses and checks MODEL (a .synm file) completely: names and roles, types and
            shapes (arrays of any rank: `real[N]`, `real[N, K]`, `real[N, M, K]`, …),
            constraints, distributions and their arguments, functions, loops and
            conditionals, user-defined functions (`fn name(x: real, ys: real[]) -> real
            { … }`), synthetic nodes (generators and footing). Prints the model's structure:
            functions, data, parameters, lets, synthetic nodes, predict nodes and the number
            of statements. Errors and warnings go to standard error as
            FILE:LINE:COL: error: message, with the source line and a caret.

            Types: real, int, arrays real[N], real[N, K] and of any rank (real[N, M, K]),
            Stan's vector[N], row_vector[N] and matrix[N, K] (stored as real arrays, read from
            Stan JSON alike), each with optional bounds (vector<lower=0>[N]), and Stan's
            constrained types simplex[K], ordered[K], positive_ordered[K], unit_vector[K],
            cov_matrix[K], corr_matrix[K], cholesky_factor_corr[K], cholesky_factor_cov[M, N]
            for parameters (sampled through Stan's transforms) and data (checked). With
            vectors and matrices `*` is the matrix product (row_vector * vector a real,
            vector * row_vector a matrix), x' transposes, .* and ./ are element-wise; a shape
            that cannot multiply is an error here, with a hint (v * v: did you mean transpose?).

            options:
              --json        print one JSON document on standard output instead of the table
              -h, --help    show this help

            exit codes: 0 the model is valid (warnings allowed), 64 usage error,
            65 the model has errors, 66 MODEL cannot be read

            """
        case "run":
            return """
            usage: \(usageLine("run"))

            Samples the posterior of MODEL by MCMC and prints a stansummary-style table:
            Mean, MCSE, StdDev, 5%, 50%, 95%, ESS_bulk, ESS_tail and R_hat (rank-normalised
            split R-hat and ESS of Vehtari et al. 2021) for lp__, every parameter, every
            `let` that depends on parameters and every `predict` node; then the time per
            chain, and warnings: a chain that appears stuck (its step size 10 or more times
            below the other chains' median, or its mean lp__ far from theirs), divergences,
            maximum tree depth, E-BFMI below 0.3, R_hat above 1.01, ESS below 100 per chain.

            Samplers: nuts (default; multinomial NUTS with Stan's windowed warmup: step size
            by dual averaging, diagonal metric), hmc (static HMC; integration time π/2 in the
            adapted metric's units, where a standardised Gaussian decorrelates fully — Stan's
            2π is a full period there, so its trajectories return to their start),
            metropolis (random walk, proposal adapted in warmup toward acceptance 0.234, or
            0.44 in one dimension), fixed_param (Stan's: no warmup, parameters kept at their
            initial values; a model without parameters always runs with it, each draw being
            one draw of its predict nodes). An hmc or nuts chain whose step size after the first 75
            warmup iterations is 100 times below the other chains' is stranded in a region
            of extreme curvature: it restarts from a new random initial value (not with
            --init), and its line under the table says so. Chains run on parallel
            threads; a given seed gives the same numbers whatever the thread count. Without
            --seed a seed is drawn and printed, so the run can be repeated.

            A model with synthetic nodes gets a "synthetic data" block under the table: each
            node's generator, its rows as drawn (generated rows come from the seed), its
            footing and what its rows are worth in real rows (e.g. 200 rows × power 0.1 =
            20 real rows; at cap 0 for rows built from our own sample, source_n − overlap for
            a third party's); --json gives the same as a "synthetic" object per node. A
            node may be built from another declared above it (bootstrap(yr) of a reweighted
            yr); nodes are drawn in the order declared, and rows built through any chain from
            a real node in the likelihood are worth 0 (Theorem 5). model("gen.synm", fit = y)
            reads a generator model beside MODEL, fits it to y (MLE) and simulates rows of
            its y; at cap they are worth 0 when y is in the likelihood. periodic's own operator
            (op = v -> [-v[2], v[1]]) must bring every row back to itself after the period;
            otherwise the run stops, naming the row.

            options (CmdStan's name in brackets; CmdStan's spellings, e.g. num_samples=1000
            or --iter_sampling, are answered with synm's):
              --data F          data file (Stan JSON or CSV); default MODEL's NAME.data.json.
                                Give it more than once to merge files; a variable in two
                                files is an error naming both
              --sampler S       nuts, hmc, metropolis or fixed_param (default nuts)
              --chains N        number of chains (default 4) [num_chains]
              --warmup N        warmup iterations per chain (default 1000) [num_warmup]
              --draws N         sampling iterations per chain (default 1000) [num_samples]
              --thin N          keep every N-th iteration, from the first: ⌈draws/N⌉ kept
                                draws per chain, summarised and written (default 1) [thin]
              --seed S          random seed (a whole number) [seed]
              --init F|R|pathfinder
                                initial values [init]: a JSON file of constrained values for
                                every chain (parameters it leaves out are drawn as random
                                inits; a simplex, cov_matrix, … must be a value of its
                                type, as its data would); a number R > 0: random inits uniform(−R, R) on the
                                unconstrained scale (default 2); 0: every unconstrained
                                value 0; pathfinder: each chain from a distinct draw of
                                multi-path Pathfinder (as synm variational, same seed)
              --adapt-delta D   target acceptance statistic in (0, 1) (default 0.8)
              --max-depth N     NUTS maximum tree depth (default 10)
              --int-time T      static HMC integration time (default π/2); at most 2^max-depth
                                leapfrog steps per iteration (a warning says when the
                                cap cut an integration short)
              --metric M        nuts and hmc: diag (default: a diagonal inverse metric from
                                Stan's windowed adaptation), dense (the full posterior
                                covariance, regularised as Stan does; for strongly
                                correlated parameters) or unit (no metric adaptation, only
                                the step size); metropolis: diag or dense proposal [metric]
              --metric-file F   the inverse metric warmup starts from, CmdStan's format:
                                {"inv_metric": [...]}, a vector of variances for diag, a
                                symmetric positive-definite matrix for dense, one entry per
                                unconstrained parameter; with --warmup 0 it is used as is
                                [metric_file]
              --stepsize E      the initial step size (default 1); with --warmup 0 the
                                step size of every draw [stepsize]
              --jitter J        in [0, 1]: each iteration's step size is drawn uniform on
                                [(1 − J)ε, (1 + J)ε], as Stan does (default 0)
                                [stepsize_jitter]
              --threads N       worker threads (default: one per core, at most one per chain)
              --output P.csv    write CmdStan-format draws to P_1.csv, P_2.csv, …, and the
                                synthetic rows the run used to P_synthetic.json (Stan JSON),
                                so the run can be audited; chain files P_K.csv left by an
                                earlier run with more chains are removed (and named).
                                Matrices and arrays of rank 2 or more are written in
                                CmdStan's order, the first index fastest (X.1.1, X.2.1, …)
              --save-warmup     also write the warmup iterations (thinned too) to the CSV
                                files, before the adaptation block [save_warmup]
              --sig-figs N      significant digits in the CSV files, 1 to 18 (default:
                                shortest round-trip digits, no precision lost) [sig_figs]
              --refresh N       redraw the progress line at most every N iterations; 0 for
                                none (default 100) [refresh]. The line (phase, percentage,
                                time left) is drawn on standard error only at a terminal,
                                and fits its width
              --report F.html   write an HTML report of the run: summary, trace, rank,
                                density, pair and energy plots (see 'synm help report')
              --shard i/n       run only shard i of n (needs --seed; not with --output or
                                --report, which `synm merge` takes): the chains i, i + n,
                                …, written to a shard file. Every hmc/nuts chain still
                                runs its first 75 warmup iterations, so the restarts are
                                the whole run's; `synm merge` of the n files prints this
                                run's table and writes its CSV files, bit for bit but for
                                the times. A shard whose sampler fails writes a file that
                                says so and exits 70 (see `synm help merge`)
              --shard-output F  the shard file (default MODEL.run.shard-I-of-N.json)
              --json            one JSON document on standard output instead of the table
              -h, --help        show this help

            exit codes: 0 ok, 64 usage error, 65 model or data error, 66 missing file,
            70 sampling failed, 73 cannot write the output

            """
        case "logprob":
            return """
            usage: synm logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]

            Evaluates the model's log density at one point, with its gradient and, with
            --hessian, its exact Hessian (forward-over-reverse autodiff, not finite
            differences), like CmdStan's log_prob method. Densities are normalised (constants
            kept), so values match scipy.

            P.json names the parameters as the model does: {"mu": 0.5, "beta": [1, 2]}.
            By default the values are on the constrained scale (a value outside its bounds is
            an error), lp has no log-Jacobian and the gradient is with respect to the
            constrained values. With --unconstrained the values are unconstrained, lp includes
            the log-Jacobian of the bound transforms, and derivatives are with respect to the
            unconstrained values (a simplex[K] then takes its K − 1 coordinates, a
            cov_matrix[K] its K(K + 1)/2, flat, named theta.free[1], …).

            Data: --data F (Stan JSON, or CSV with a header), else MODEL's sibling
            NAME.data.json, else the model's embedded defaults.

            options:
              --params P.json   the point (required)
              --data F          the data file
              --unconstrained   P.json holds unconstrained values
              --hessian         also print the Hessian
              --json            one JSON document: {"lp", "gradient", "hessian", "scale"}
              -h, --help        show this help

            exit codes: 0 ok, 64 usage error, 65 model, data or parameter error,
            66 a file cannot be read

            """
        case "optimize": return optimizeHelp
        case "variational": return variationalHelp
        case "fisher": return fisherHelp
        case "audit": return auditHelp
        case "simulate":
            return """
            usage: \(usageLine("simulate"))

            Forward-simulates the model: every data node that is the left side of a `~`
            statement is drawn from its likelihood (and a third party's external rows from
            theirs), at the parameters in P.json (constrained values, by name) or at
            parameters drawn from their priors (--prior: each parameter needs a `~`
            statement of its own; a bounded parameter's prior is truncated to its bounds, and
            a `~ … T[L, U]` term is drawn within L and U, by rejection).
            Statements are followed in order, so recursions (AR models) see the values drawn
            before them. Other data (sizes, covariates) are kept from the data file, and so
            is a node whose `~` uses a user-defined density (`fn foo_lpdf`), which cannot be
            drawn from (a warning says so). The multivariate distributions draw whole rows
            (multi_normal, multi_normal_cholesky, multi_student_t, dirichlet; a multinomial
            row keeps its observed total) and a whole matrix for lkj_corr and
            lkj_corr_cholesky; a parameter with such a prior (`beta ~ multi_normal(m, S)`) is
            drawn as one vector.

            Prints a data file for the same model (Stan JSON) on standard output, or writes
            it to --output F (whole or not at all). With --prior, the drawn parameters are
            reported on standard error. Generated synthetic nodes (bootstrap, reweight,
            periodic) are not written: every run draws them afresh from the data.

            options:
              --params P.json   the parameters to simulate at
              --prior           draw the parameters from their priors
              --data F          data file (covariates, sizes); default MODEL's NAME.data.json
              --seed S          random seed
              --output F        write the data file to F
              -h, --help        show this help

            """
        case "reflect":
            return """
            usage: \(usageLine("reflect"))

            The reflection principle, numerically (Goldstein 1983; the paper's section 4).
            From the current posterior (NUTS, as `synm run`), R times: draw θ* from the
            posterior, simulate a block of M rows of the data node (default: the first data
            node with a `~` statement of its own) from its likelihood at θ* — one θ* per
            block — and update the posterior on the real data plus the block at the chosen
            footing (default equal, as if the rows were real).

            Reports per parameter: the current mean and variance; the mean of the updated
            means (equal to the current mean: the posterior is a martingale); E[updated
            variance] + Var[updated means] (equal to the current variance); the mean updated
            sd (smaller: the false precision a single update claims); the averaged updated
            posterior's quantiles against the current ones; each identity's Monte Carlo error
            and whether it holds within 4 of them; and a text picture of the current,
            averaged and single-update densities.

            --iid-theta draws every row of a block from a different θ: not a block from the
            posterior predictive, so the variance identity fails (for M > 1) — the pitfall
            posterior SBC avoids. --footing "power(a)" shows how a discount limits the false
            precision; cap and calibrated weigh self-generated rows 0 (Theorem 5), so every
            update is the current posterior and the identities hold exactly (said so).

            The error bars include the Monte Carlo error of the current posterior's own mean
            and variance wherever an update ran MCMC (it targets the exact posterior, the
            current one is an estimate). A block must fit the node's likelihood: a node with
            row-specific arguments, or written in a loop over its rows, takes blocks of as
            many rows as it has, and a node without a `~` statement (a `target +=`
            likelihood) cannot be simulated — both refused up front (exit 64).

            --steps K: sequential predictive resampling instead (Fong, Holmes & Walker 2023):
            R paths (default 20) of K updates, each on a block drawn from the posterior as it
            then stands. The mean of the path means stays the current mean at every step (a
            martingale) while the paths fan out and each path's sd shrinks; printed as a
            table by step and a text plot of the paths.

            Updates reweight the current draws by the block's likelihood (importance
            sampling); when the weights degenerate (effective sample size below 200 or 5%)
            the update runs MCMC on the augmented model instead, and the report says how often.

            options:
              --synthetic-n M   rows per block (required)
              --node y          the data node to simulate
              --reps R          blocks (default 200)
              --footing F       equal (default), cap, calibrated, or "power(a)" with a in [0, 1]
              --iid-theta       every row from its own θ (shows the identity failing)
              --steps K         sequential predictive resampling over K updates per path
              --seed S          random seed
              --chains/--warmup/--draws   the current posterior's sampling (as `synm run`)
              --threads N       worker threads for the blocks
              --shard i/n       run only shard i of n (needs --seed; not with --steps): the
                                replicates i, i + n, …, written to a shard file for `synm
                                merge` (with the current posterior's draws and each
                                update's importance weights: about 40 bytes a draw)
              --shard-output F  the shard file (default MODEL.reflect.shard-I-of-N.json)
              --report F.html   an HTML page: current, averaged-updated and single-update
                                densities per parameter, the identities with error bars
              --json            one JSON document
              -h, --help        show this help

            """
        case "sbc":
            return """
            usage: \(usageLine("sbc"))

            Simulation-based calibration (Talts et al. 2018): for each of N replicates, draw
            parameters from the prior and data from the likelihood (as `synm simulate
            --prior`), fit the model to those data with one chain, and rank each true
            parameter value among 99 evenly thinned posterior draws. If the sampler and the
            model's code are correct, every rank is uniform on 0…99. Prints a text histogram
            and a χ² uniformity test (B − 1 degrees of freedom) per parameter; a p-value
            below 0.01 is flagged (with many parameters a few are expected by chance).
            Replicates run in parallel; the seed fixes everything. Data are simulated from
            the `~` statements only: a model whose likelihood is a `target +=` term is
            refused (nothing can draw its data), and a `target +=` prior term is fitted but
            not simulated (a warning says so).

            options:
              --reps N          replicates (default 100)
              --seed S          random seed
              --sampler S       nuts (default), hmc or metropolis
              --warmup N        warmup iterations per fit (default 500)
              --draws N         draws per fit before thinning (default 1000, at least 99)
              --bins B          histogram bins; must divide 100 (default 10)
              --threads N       worker threads (default: one per core)
              --data F          data file (sizes and covariates)
              --shard i/n       run only shard i of n (needs --seed): the replicates
                                i, i + n, i + 2n, …, written to a shard file for
                                `synm merge` (see `synm help merge`); a shard whose
                                replicates fail writes a file that says so and exits 70
              --shard-output F  the shard file (default MODEL.sbc.shard-I-of-N.json)
              --json            ranks, counts, χ² and p per parameter as JSON
              -h, --help        show this help

            """
        case "repl": return replHelp
        case "report": return reportHelp
        case "merge": return mergeHelp
        case "predict": return predictHelp
        case "loo": return looHelp
        case "help":
            return "usage: synm help COMMAND\n\nShows help for a command.\n"
        default:
            return nil
        }
    }

    static let predictHelp = """
        usage: \(usageLine("predict"))

        Standalone generated quantities (CmdStan's generate_quantities method): for every
        draw of an existing fit, computes MODEL's `let` nodes and draws its `predict` nodes
        again, and prints their summary (Mean, MCSE, StdDev, 5%, 50%, 95%, ESS_bulk,
        ESS_tail, R_hat over the fit's chains). The fit is CSV files written by
        `synm run --output` or by CmdStan, with MODEL's parameters as columns (`theta.1` or
        `theta[1]`); one name that is not a file is a prefix (P.csv reads P_1.csv, P_2.csv,
        …); saved warmup rows are skipped. The files must be the chains of one run.
        Parameters are checked against their bounds and the model evaluated at each draw;
        chain k (the file's `id`) draws its predict nodes from the stream `synm run` uses,
        so with the run's --seed and data the values are the run's own. A new model (a new
        `let log_lik`, another predict node) can be evaluated on an old fit.

        options:
          --fit FIT.csv   the fit's CSV files (more may follow as further arguments)
          --data F        the data the fit was made with (as for run; default: MODEL's
                          sibling NAME.data.json, else its embedded values)
          --seed S        seed of the predict draws (default: drawn and printed)
          --output P.csv  write P_1.csv, P_2.csv, … (one per fit file, written whole or not
                          at all): CmdStan's layout (method = generate_quantities,
                          fitted_params), the fit's sampler columns, then parameters, lets
                          and predict nodes per draw
          --sig-figs N    significant digits in the CSV files (default: round-trip digits)
          --json          the summary as one JSON document
          -h, --help      show this help

        exit codes: 0 ok, 64 usage error, 65 a fit without a column for a parameter (named),
        of another model or other data (a parameter with more elements), a non-finite or
        out-of-bounds value (file and line of the draw), or a model error; 66 a file that
        cannot be read; 70 the model cannot be evaluated at a draw; 73 cannot write

        """

    static let looHelp = """
        usage: \(usageLine("loo"))

        Approximate leave-one-out cross-validation by Pareto smoothed importance sampling
        (PSIS-LOO; Vehtari, Gelman & Gabry 2017, with the Pareto smoothing of Vehtari et al.
        2024: the M = ⌈min(0.2 S, 3 √(S/r_eff))⌉ largest importance ratios 1/p(yᵢ | θ) of each
        observation replaced by a generalized Pareto fit (Zhang & Stephens 2009, with the
        weakly informative prior on k), truncated at the largest raw ratio). Prints, as the R
        loo package does, elpd_loo, p_loo and looic with their standard errors, the Monte
        Carlo SE of elpd_loo, and the Pareto k table: good (k ≤ 0.5), ok (k ≤ min(1 −
        1/log10 S, 0.7)), bad (k ≤ 1), very bad, with the smallest ESS of the smoothed
        weights; observations above the threshold are named in a warning.

        The pointwise log likelihood is a let of the model, one element per observation:

            var ll: real[N]
            for i in 1..N {
              ll[i] = normal_lpdf(y[i] | mu, sigma)
            }
            let log_lik = ll

        (or element-wise, let log_lik = -0.5 * square((y - mu) / sigma) - log(sigma) -
        0.9189385332046727). `synm run --output fit.csv` writes its columns log_lik.1, …;
        `synm loo fit.csv` reads them (fit.csv names fit_1.csv, fit_2.csv, …; CmdStan's
        files with a log_lik generated quantity are read the same way). `synm loo
        MODEL.synm --fit fit.csv` computes the let on the fit's draws instead, so a fit made
        without it can be cross-validated.

        options:
          --var NAME     the log-likelihood variable (default log_lik)
          --fit F.csv    with MODEL.synm: the fit's CSV files (more may follow)
          --data F       with MODEL.synm: the data the fit was made with
          --seed S       with MODEL.synm: the seed for predict nodes (default 0)
          --r-eff chains|R  the relative efficiency of the draws per observation: from the
                         chains (default: ESS(p(yᵢ | θ))/S, as loo's relative_eff), or R
                         for all (1: independent draws, the tail ⌈min(0.2 S, 3 √S)⌉)
          --json         everything, pointwise values included, as one JSON document
          -h, --help     show this help

        exit codes: 0 ok, 64 usage error, 65 no such variable in the fit or model (named),
        a NaN or +inf log likelihood (file and line), a fit that is not of the model;
        66 a file that cannot be read

        """
}
