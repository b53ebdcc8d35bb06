//! The `enrich` command, run as a binary on the shipped samples.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn enrich(args: &[&Path], stdin: Option<&[u8]>) -> (bool, Vec<Value>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_news-enricher"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).arg("enrich");
    for a in args {
        cmd.arg("--input").arg(a);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut sin = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            sin.write_all(bytes).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.success(),
        records,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn enriches_the_samples_in_order() {
    let articles = samples().join("articles");
    let batch = articles.join("batch.jsonl");
    let txt = articles.join("ar-02-amman-hospital.txt");
    let json = articles.join("en-01-norway-offshore-wind.json");
    let poison = samples().join("poison").join("not-utf8.bin");
    let (ok, records, err) = enrich(&[&batch, &txt, &poison, &json], None);
    assert!(ok, "{err}");
    assert_eq!(records.len(), 7, "{err}");
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(&ids[..5], ["ar-05", "ar-06", "en-03", "en-04", "fr-03"]);
    assert_eq!(ids[6], "en-01");
    for r in &records {
        assert_eq!(r["schema_version"], "1");
        assert!(r["origin"].is_null());
        assert_eq!(r["fingerprint"]["simhash"].as_str().unwrap().len(), 16);
    }
    let langs: Vec<&str> = records
        .iter()
        .map(|r| r["language"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["ar", "ar", "en", "en", "fr", "ar", "en"]);
    assert_eq!(records[5]["article"]["outlet"], "وكالة الأنباء المحلية");
    assert!(err.contains("not-utf8.bin: not_utf8"), "{err}");
    assert!(err.contains("enriched 7, failed 1"), "{err}");
}

#[test]
fn reports_bad_lines_with_their_number_and_reads_stdin() {
    let stdin = b"{\"id\":\"x1\",\"text\":\"The mayor of Lyon opened a new bridge on Friday.\"}\n[1,2]\n{\"id\":\"x3\",\"text\":\"Le maire de Lyon a inaugure un nouveau pont vendredi.\"}\n";
    let (ok, records, err) = enrich(&[Path::new("-")], Some(stdin));
    assert!(ok, "{err}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["id"], "x3");
    assert!(err.contains("<stdin>:2: invalid_json"), "{err}");
    assert!(err.contains("enriched 2, failed 1"), "{err}");
}

#[test]
fn fails_when_nothing_can_be_read() {
    let (ok, records, err) = enrich(&[Path::new("/nonexistent/file.jsonl")], None);
    assert!(!ok);
    assert!(records.is_empty());
    assert!(err.contains("cannot read"), "{err}");
}
