#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pagelint_fuzz::check_markdown(data));
