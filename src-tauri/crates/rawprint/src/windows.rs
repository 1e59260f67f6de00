//! The Windows print spooler in RAW mode: the bytes go to the printer's port unchanged, which
//! is how ZPL/TSPL reach a Zebra/TSC/Xprinter/Deli/Godex printer installed with its Windows
//! driver (or the "Generic / Text Only" driver).
//!
//! NOT COMPILED HERE: this module only builds for Windows targets and has not been compiled or
//! run on the Linux machines the rest of the crate is tested on. It is kept to the few calls
//! the spooler needs: OpenPrinterW, StartDocPrinterW (level 1, datatype "RAW"),
//! StartPagePrinter, WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter; and
//! EnumPrintersW (level 4) for the list.
#![allow(unsafe_code)]

use std::path::Path;

use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DOC_INFO_1W, EndDocPrinter, EndPagePrinter, EnumPrintersW, OpenPrinterW,
    PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_4W,
    StartDocPrinterW, StartPagePrinter, WritePrinter,
};

use crate::{PrintError, known_list};

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

fn last_error(queue: &str, call: &str) -> PrintError {
    PrintError::Failed {
        queue: queue.to_owned(),
        detail: format!("{call}: {}", std::io::Error::last_os_error()),
    }
}

pub(crate) fn printers() -> Result<Vec<String>, PrintError> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    // SAFETY: a null buffer of size 0 asks for the size needed.
    unsafe {
        EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            std::ptr::null_mut(),
            0,
            &mut needed,
            &mut count,
        )
    };
    if needed == 0 {
        return Ok(Vec::new());
    }
    let mut buf = vec![0u8; needed as usize];
    // SAFETY: buf is `needed` bytes, as the spooler asked.
    let ok = unsafe {
        EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            buf.as_mut_ptr(),
            needed,
            &mut needed,
            &mut count,
        )
    };
    if ok == 0 {
        return Err(last_error("", "EnumPrintersW"));
    }
    let infos = buf.as_ptr() as *const PRINTER_INFO_4W;
    let mut names = Vec::with_capacity(count as usize);
    for i in 0..count as usize {
        // SAFETY: the spooler wrote `count` PRINTER_INFO_4W at the start of buf, whose strings
        // point into buf.
        let name = unsafe {
            let p = (*infos.add(i)).pPrinterName;
            let mut len = 0;
            while *p.add(len) != 0 {
                len += 1;
            }
            String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
        };
        names.push(name);
    }
    names.sort();
    Ok(names)
}

struct Printer(PRINTER_HANDLE);

impl Drop for Printer {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenPrinterW and is closed once.
        unsafe { ClosePrinter(self.0) };
    }
}

pub(crate) fn send_raw(printer: &str, path: &Path, title: &str) -> Result<String, PrintError> {
    let data = std::fs::read(path).map_err(|e| PrintError::Failed {
        queue: printer.to_owned(),
        detail: format!("{}: {e}", path.display()),
    })?;
    let name = wide(printer);
    let mut handle = PRINTER_HANDLE::default();
    // SAFETY: name is NUL-terminated; no defaults.
    if unsafe { OpenPrinterW(name.as_ptr(), &mut handle, std::ptr::null()) } == 0 {
        let known = printers().unwrap_or_default();
        return Err(PrintError::UnknownQueue {
            queue: printer.to_owned(),
            known: known_list(&known),
        });
    }
    let handle = Printer(handle);
    let mut doc_name = wide(title);
    let mut datatype = wide("RAW");
    let info = DOC_INFO_1W {
        pDocName: doc_name.as_mut_ptr(),
        pOutputFile: std::ptr::null_mut(),
        pDatatype: datatype.as_mut_ptr(),
    };
    // SAFETY: info's strings live until the end of this function.
    let job = unsafe { StartDocPrinterW(handle.0, 1, &info) };
    if job == 0 {
        return Err(last_error(printer, "StartDocPrinterW"));
    }
    // SAFETY: the document was started on this handle.
    if unsafe { StartPagePrinter(handle.0) } == 0 {
        unsafe { EndDocPrinter(handle.0) };
        return Err(last_error(printer, "StartPagePrinter"));
    }
    let mut written = 0u32;
    // SAFETY: data is data.len() bytes; written is a valid out pointer.
    let ok = unsafe {
        WritePrinter(
            handle.0,
            data.as_ptr().cast(),
            data.len() as u32,
            &mut written,
        )
    };
    // SAFETY: page and document were started on this handle.
    unsafe {
        EndPagePrinter(handle.0);
        EndDocPrinter(handle.0);
    }
    if ok == 0 || written as usize != data.len() {
        return Err(last_error(printer, "WritePrinter"));
    }
    Ok(format!("job {job}"))
}
