package org.ypsync.stage;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.ypsync.TestMain;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.store.TestDatabases;

/**
 * The set-up every scenario test shares: before the class, a {@link ScenarioWorld} (the emulators, a store) that
 * follows the class's {@code @CamelMainTest} properties; its own properties handed to each test's Camel Main
 * (see {@link InScenario#scenario}); before each test, a fresh world ({@link InScenario#freshWorld}); after the
 * class, the world closed. A test gets the world as a constructor (or method) parameter and says only what differs,
 * by its {@code @CamelMainTest} properties and an optional {@link Scenario}.
 */
final class ScenarioExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final Map<Class<?>, ScenarioWorld> WORLDS = new ConcurrentHashMap<>();

    /** What a scenario test class's world is, when not the default (a Moodle with the profile field, H2). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    @interface Scenario {
        /** false: a stock Moodle, without the user profile field netypareo_usertype. */
        boolean profileField() default true;

        /** true: the store on the real PostgreSQL (a private schema; skipped as TestDatabases says). */
        boolean postgres() default false;
    }

    /** Implemented by a scenario test class: the extension, and the hook by which its Camel Main gets the world. */
    @ExtendWith(ScenarioExtension.class)
    interface InScenario {
        /** Called by {@code @CamelMainTest} before each test's Camel Main starts. */
        @Configure
        default void scenario(MainConfigurationProperties main) {
            ScenarioWorld world = WORLDS.get(getClass());
            TestMain.properties(main, world.properties, world::attach);
        }

        /** A fresh world, once the test's Camel Main has started (before the class's own BeforeEach methods). */
        @BeforeEach
        default void freshWorld() throws Exception {
            WORLDS.get(getClass()).reset(DataSetSize.DEMO);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> test = context.getRequiredTestClass();
        Scenario scenario = AnnotationSupport.findAnnotation(test, Scenario.class).orElse(null);
        boolean profileField = scenario == null || scenario.profileField();
        Map<String, String> settings = settings(test);
        ScenarioWorld world = scenario != null && scenario.postgres()
                ? ScenarioWorld.start(TestDatabases.postgres(), settings,
                        Map.of("ypsync.store.user", TestDatabases.POSTGRES_USER), profileField)
                : ScenarioWorld.start(TestMain.h2(test.getSimpleName()), settings, Map.of(), profileField);
        WORLDS.put(test, world);
    }

    /** The class's {@code @CamelMainTest} properties, which the oracle must follow too. */
    private static Map<String, String> settings(Class<?> test) {
        Map<String, String> out = new TreeMap<>();
        CamelMainTest main = AnnotationSupport.findAnnotation(test, CamelMainTest.class)
                .orElseThrow(() -> new IllegalStateException(test + " is no @CamelMainTest"));
        for (String p : main.properties()) {
            int eq = p.indexOf('=');
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ScenarioWorld world = WORLDS.remove(context.getRequiredTestClass());
        if (world != null) {
            world.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ScenarioWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return WORLDS.get(context.getRequiredTestClass());
    }
}
