// A local-level state-space model, centred, one sampling statement per step. The synm twin is
// models/local_level.synm.
data {
  int<lower=2> T;
  array[T] real y;
}
parameters {
  vector[T] x;
  real<lower=0> sigma_level;
  real<lower=0> sigma_obs;
}
model {
  sigma_level ~ normal(0, 1);
  sigma_obs ~ normal(0, 2);
  x[1] ~ normal(0, 10);
  for (t in 2:T)
    x[t] ~ normal(x[t - 1], sigma_level);
  y ~ normal(x, sigma_obs);
}
