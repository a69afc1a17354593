// msgpackr loads its native extension inside try/catch and uses its JavaScript decoder when loading fails.
throw new Error('msgpackr-extract (optional native extension) is not installed');
