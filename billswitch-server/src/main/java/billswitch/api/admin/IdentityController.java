package billswitch.api.admin;

import billswitch.admin.AdminIdentities;
import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.infra.http.JsonBody;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The admin API's identities (role ADMIN): create, list, disable, rotate a token; and "who am I" for any role. */
@RestController
@RequestMapping(path = "/admin/identities", produces = MediaType.APPLICATION_JSON_VALUE)
class IdentityController {
    private static final String NOTE = "The token is shown once: store it now. Rotate it if it is lost.";

    private final AdminIdentities identities;

    IdentityController(AdminIdentities identities) {
        this.identities = identities;
    }

    record IssuedView(AdminIdentities.IdentityView identity, String token, String note) {
        static IssuedView of(AdminIdentities.Issued issued) {
            return new IssuedView(issued.identity(), issued.token(), NOTE);
        }
    }

    /** {"name": "alice", "role": "READ_ONLY" | "OPERATIONS" | "FINANCE" | "ADMIN"}. */
    @PostMapping
    ResponseEntity<IssuedView> create(@RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("name", "role"));
        String name = in.requiredString("name");
        String role = in.requiredString("role");
        if (role != null && Arrays.stream(AdminRole.values()).noneMatch(r -> r.name().equals(role))) {
            in.problem("role", "must be one of " + Arrays.toString(AdminRole.values()));
        }
        in.validate();
        return ResponseEntity.status(201).body(IssuedView.of(
                identities.create(AdminRequest.actor(), AdminRequest.line(), name, AdminRole.valueOf(role))));
    }

    @GetMapping
    Map<String, List<AdminIdentities.IdentityView>> list() {
        return Map.of("identities", identities.list());
    }

    @GetMapping("/me")
    AdminIdentity me() {
        return AdminRequest.actor();
    }

    @PostMapping("/{name}/disable")
    AdminIdentities.IdentityView disable(@PathVariable String name) {
        return identities.disable(AdminRequest.actor(), AdminRequest.line(), name);
    }

    @PostMapping("/{name}/rotate-token")
    IssuedView rotate(@PathVariable String name) {
        return IssuedView.of(identities.rotate(AdminRequest.actor(), AdminRequest.line(), name));
    }
}
