// Pact's native library reports anonymous usage unless told not to; poshub's test runs never phone home.
process.env.PACT_DO_NOT_TRACK ??= 'true';
