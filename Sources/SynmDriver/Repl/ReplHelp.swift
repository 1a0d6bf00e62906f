// `synm help repl`.

extension Help {
    static let replHelp = """
    usage: synm repl [MODEL] [--data F]

    An interactive session: load a model, sample, and ask questions of the posterior in the
    model's own expression language. Every numeric answer comes with its Monte Carlo
    standard error (MCSE), e.g. `0.6812 ± 0.0021`.

    At a terminal: a prompt with line editing (← →, Home/End, Ctrl-A/Ctrl-E, Backspace,
    Delete, Ctrl-K/Ctrl-U) and history (↑ ↓). Ctrl-C cancels the line being typed, or stops
    a running :sample at once (the previous draws are kept; the abandoned run ends in the
    background, its remaining steps made trivial: the density turns −∞); the other
    commands (:optimize, :fisher, :reflect, :audit) run to the end. Ctrl-D on an empty line
    or :quit leaves. When standard input is not a terminal there is no prompt and no escape
    codes: each line's result is printed on standard output (one line per result), errors
    on standard error, so sessions can be scripted:

      printf ':sample --seed 1\\nmean(p)\\nP(p > 0.5)\\n' | synm repl models/coin.synm

    commands:
      :load MODEL          read, check and compile a model (its NAME.data.json is the default data)
      :data F              use data file F (Stan JSON or CSV)
      :set NAME = VALUE    a data value (a JSON literal: 3, [1, 0, 1]) or a sampling option:
                           seed, chains, warmup, draws, sampler, adapt-delta, max-depth, threads
      :sample [OPTIONS]    sample the posterior; options as in synm run (--draws 500 --seed 1 …)
      :summary             the summary table of the draws, as synm run prints it
      :optimize [OPTIONS]  posterior mode or MLE with standard errors (as synm optimize)
      :fisher [OPTIONS]    Fisher information, claimed vs warranted (as synm fisher)
      :reflect M [OPTIONS] the reflection principle with M synthetic rows (as synm reflect)
      :audit [OPTIONS]     a simulation study of the footings (as synm audit)
      :model               print the model
      :help                the commands and functions
      :quit                leave

    posterior expressions, evaluated element-wise over every draw: parameters, lets and
    predict nodes by name (theta[1] indexes), data names as constants, + - * / ^,
    comparisons, && || !, and exp log log1p expm1 sqrt square abs inv_logit logit pow Phi
    tanh inv lgamma log1m log_inv_logit log1p_exp min max, sum (per draw, over elements).
    A bare expression prints the posterior mean ± MCSE, sd and 90% interval. Reductions:
      mean(x), E(x)        posterior mean; MCSE sd/√ESS (Vehtari et al. 2021)
      P(cond)              probability: the mean of a 0/1 condition, with that MCSE
      sd(x), median(x)     MCSE by the delta method (sd) and the quantile method (median)
      quantile(x, p)       the p-quantile; MCSE from the Beta interval of its ESS
      corr(a, b)           Pearson correlation; MCSE by the delta method (the MCSE of the
                           mean of the per-draw influence values)
      hist(x)              a text histogram of the draws

    exit codes: 0 when the session ends, 64 usage error

    """
}
