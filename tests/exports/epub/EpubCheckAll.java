// Runs EPUBCheck on every file named on the command line in one Java process
// (the command-line tool takes one file, and Java's start-up is the slow part).
// Used by tests/exports/epub/test_epub_validity.py; prints one report per file.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckAll {
    public static void main(String[] files) {
        int failed = 0;
        for (String file : files) {
            System.out.println("=== " + file);
            System.out.flush();
            if (new EpubChecker().run(new String[] {file, "--failonwarnings"}) != 0) {
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
