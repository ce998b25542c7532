// The OWL API's OWL 2 DL profile check (Debian: libowlapi-java) on an ontology file and its
// imports closure, imports resolved to the given files only (never the network).
// Arguments: pairs of <ontology IRI> <file>; the first pair is checked. Prints one line per
// violation, tab-separated (ontology IRI, violation class, description), then "TOTAL <n>".
// Exit status 0 when the check ran (violations or not), 2 when a file does not load.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;

public class OwlDlProfile {
    public static void main(String[] args) throws Exception {
        // arguments: pairs of <ontology IRI> <file>; the first pair is checked with its
        // imports closure, the others are there to resolve imports.
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        for (int i = 0; i + 1 < args.length; i += 2) {
            manager.getIRIMappers().add(
                new SimpleIRIMapper(IRI.create(args[i]), IRI.create(new File(args[i + 1]))));
        }
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(
                new FileDocumentSource(new File(args[1])), config);
        } catch (Exception error) {
            System.out.println("LOAD-ERROR\t" + String.valueOf(error.getMessage()).replace('\n', ' '));
            System.exit(2);
            return;
        }
        // The profile covers the imports closure: every file the first one imports.
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        int total = 0;
        for (OWLProfileViolation violation : report.getViolations()) {
            total++;
            String where = violation.getOntology().getOntologyID().getOntologyIRI()
                .map(IRI::toString).orElse("(anonymous)");
            System.out.println(where + "\t" + violation.getClass().getSimpleName() + "\t"
                + violation.toString().replace('\n', ' ').replace('\t', ' '));
        }
        System.out.println("TOTAL\t" + total);
    }
}
