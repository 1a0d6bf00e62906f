// The draws of an existing fit for `synm predict` and `synm loo`: CmdStan-format CSV files
// (synm's or CmdStan's), read and checked as `synm report` reads them (StanCSVFile: the
// configuration block, the adaptation block, the number of draws; DrawsReport's check that
// the files are the chains of one run), saved warmup rows dropped. Columns are found by
// CmdStan's names (`theta.1`, `X.2.3`) or by synm's (`theta[1]`).
import Foundation
import SynmIO

struct FitFiles {
    /// The chains, in the order given.
    var files: [StanCSVFile]

    /// One positional that names no file is a prefix (`P.csv` → P_1.csv, P_2.csv, …, as
    /// `synm run --output` writes them); otherwise the files as given. Exit 66 for a file that
    /// cannot be read, 65 (a located message) for one that is not a fit.
    static func read(_ paths: [String], command: String, console: Console) -> Result<FitFiles, ExitCode> {
        var files = paths
        if paths.count == 1, !FileManager.default.fileExists(atPath: paths[0]) {
            files = DrawsReport.chainFiles(prefix: paths[0])
            if files.isEmpty {
                let p = paths[0]
                let base = p.hasSuffix(".csv") ? String(p.dropLast(4)) : p
                console.err.write("synm \(command): error: no fit files: neither \(base)_1.csv nor \(p) exists\n")
                return .failure(.noInput)
            }
        }
        for f in files {
            if let reason = InputFile.problem(f) {
                console.err.write("synm \(command): error: cannot read '\(f)': \(reason)\n")
                return .failure(.noInput)
            }
        }
        var read: [StanCSVFile] = []
        for f in files {
            do {
                read.append(try StanCSVFile.read(f))
            } catch {
                console.err.write(error.text)
                return .failure(.modelError)
            }
        }
        do {
            try DrawsReport.checkChainsOfOneRun(read)
        } catch let e as DrawsReport.ReadError {
            console.err.write(e.text(command: command))
            return .failure(.modelError)
        } catch {
            console.err.write("synm \(command): error: \(error)\n")
            return .failure(.modelError)
        }
        return .success(FitFiles(files: read))
    }

    /// A column name in CmdStan's spelling: `theta[1]` and `theta.1` both → `theta.1`.
    static func key(_ name: String) -> String { DrawsCSVWriter.columnName(name) }

    /// The index of column `name` (either spelling) in file `f`, or nil.
    func columnIndex(_ name: String, file f: Int) -> Int? {
        let k = Self.key(name)
        return files[f].csv.names.firstIndex { Self.key($0) == k }
    }

    /// The kept draws of column `index` of file `f` (saved warmup rows dropped).
    func draws(column index: Int, file f: Int) -> ArraySlice<Double> {
        files[f].csv.columns[index].dropFirst(files[f].savedWarmupRows)
    }

    /// The number of kept draws in file `f`.
    func drawCount(file f: Int) -> Int { files[f].csv.rowCount - files[f].savedWarmupRows }

    /// The line of kept draw `d` (from 0) of file `f`.
    func line(draw d: Int, file f: Int) -> Int? {
        let r = d + files[f].savedWarmupRows
        return files[f].rowLines.indices.contains(r) ? files[f].rowLines[r] : nil
    }

    /// The chain number of file `f` (CmdStan's `id`, from 1), else its position.
    func chainID(file f: Int) -> Int {
        files[f].chainID.flatMap(Int.init).map { max(1, $0) } ?? f + 1
    }
}
